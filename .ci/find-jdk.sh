#!/usr/bin/env bash
# Finds a JDK whose version is >= 25 (the release pdr4j compiles for).
#
# Executed:  .ci/find-jdk.sh        prints its JAVA_HOME on stdout; exit 1 (with the reason
#                                   on stderr) when there is none.
# Sourced:   . .ci/find-jdk.sh      defines pdr_find_jdk (same contract) and
#                                   pdr_jdk_major DIR (prints DIR's major version or fails).
#
# Order: $PDR4J_JAVA_HOME (used as given, must qualify), then $JAVA_HOME, then the JDKs under
# /usr/lib/jvm, /opt/java and /opt (the lowest qualifying major version wins, so a stable
# 25 is preferred over an early-access 26), then the java on PATH.
# Only full JDKs count (bin/java and bin/javac). The `release` file is read when present,
# because running `java -version` on every candidate costs ~50 ms each at launcher startup.

PDR_MIN_JAVA=${PDR_MIN_JAVA:-25}

pdr_jdk_major() {
  local d=$1 v=""
  [[ -x "$d/bin/java" && -x "$d/bin/javac" ]] || return 1
  if [[ -r "$d/release" ]]; then
    v=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$d/release" 2>/dev/null | head -n 1)
  fi
  if [[ -z "$v" ]]; then
    # e.g.: openjdk version "25.0.3" 2026-04-21 LTS  |  java version "1.8.0_402"
    v=$("$d/bin/java" -version 2>&1 | sed -n 's/.* version "\([^"]*\)".*/\1/p' | head -n 1)
  fi
  [[ -n "$v" ]] || return 1
  v=${v#1.}          # 1.8.0 -> 8.0
  v=${v%%[!0-9]*}    # 25.0.3 -> 25, 26-ea -> 26
  [[ -n "$v" ]] || return 1
  printf '%s\n' "$v"
}

pdr_find_jdk() {
  local d major best="" best_major=""
  if [[ -n "${PDR4J_JAVA_HOME:-}" ]]; then
    if major=$(pdr_jdk_major "$PDR4J_JAVA_HOME") && (( major >= PDR_MIN_JAVA )); then
      printf '%s\n' "$PDR4J_JAVA_HOME"; return 0
    fi
    echo "find-jdk: PDR4J_JAVA_HOME=$PDR4J_JAVA_HOME is not a JDK >= $PDR_MIN_JAVA" >&2
    return 1
  fi
  if [[ -n "${JAVA_HOME:-}" ]] && major=$(pdr_jdk_major "$JAVA_HOME") && (( major >= PDR_MIN_JAVA )); then
    printf '%s\n' "$JAVA_HOME"; return 0
  fi
  for d in /usr/lib/jvm/* /opt/java/* /opt/jdk* /opt/*jdk*; do
    [[ -d "$d" ]] || continue
    major=$(pdr_jdk_major "$d") || continue
    (( major >= PDR_MIN_JAVA )) || continue
    if [[ -z "$best" ]] || (( major < best_major )); then
      best=$d; best_major=$major
    fi
  done
  if [[ -n "$best" ]]; then
    printf '%s\n' "$(readlink -f "$best")"; return 0
  fi
  if d=$(command -v java 2>/dev/null); then
    d=$(dirname "$(dirname "$(readlink -f "$d")")")
    if major=$(pdr_jdk_major "$d") && (( major >= PDR_MIN_JAVA )); then
      printf '%s\n' "$d"; return 0
    fi
  fi
  echo "find-jdk: no JDK >= $PDR_MIN_JAVA found (looked at \$JAVA_HOME, /usr/lib/jvm, /opt, PATH)." >&2
  echo "find-jdk: install one (e.g. Temurin 25) or point PDR4J_JAVA_HOME at it." >&2
  return 1
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  pdr_find_jdk
fi
