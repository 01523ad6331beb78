package org.pdr4j.models.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.pdr4j.gs.Renderers;
import org.pdr4j.tensor.backend.Backends;
import org.pdr4j.tensor.backend.cuda.CudaDriver;
import org.pdr4j.tensor.backend.opencl.OpenCl;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code pdr devices}: what {@code --device} can name on this machine, and whether each backend passes a smoke op. */
@Command(name = "devices", mixinStandardHelpOptions = true,
        description = {"List the devices --device can name (cpu, opencl:N, cuda:N), the renderers that start here,",
                "and a smoke op on each tensor backend."})
final class DevicesCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.println("cpu       " + Runtime.getRuntime().availableProcessors() + " cores (Vector API)");
        for (String line : OpenCl.describeDevices().strip().split("\n")) out.println(line.startsWith("opencl:") ? line : "opencl    " + line);
        if (CudaDriver.available()) {
            CudaDriver d = CudaDriver.system();
            for (int i = 0; i < d.deviceCount(); i++)
                out.printf("cuda:%d    %s (%.1f GiB)%n", i, d.deviceName(d.device(i)), d.totalMemory(d.device(i)) / (double) (1L << 30));
        } else {
            out.println("cuda      " + CudaDriver.unavailableReason());
        }
        out.println("current device: " + Backends.device() + "; renderers here: " + String.join(", ", Renderers.names()));
        out.println("tensor backends:");
        out.print(Backends.report());
        out.flush();
        return 0;
    }
}
