#!/bin/bash
# Times NetGen's generator on the 50 networks of Networks.cs, as Roslyn reports it (-p:ReportAnalyzer=true), over
# RUNS rebuilds of this project alone (its references built once beforehand). Each run compiles in a fresh csc
# process (no compiler server), so every run includes loading and JIT-compiling the generator: the figure a command-line
# build pays, not the warm figure of an IDE session. The SDK's ComInterfaceGenerator, which runs in the same
# compilation, is printed beside it as a yardstick for how loaded the machine was.
#
#   dotnet build bench/GeneratorTime -c Release     # once: the runtime, generator and analyzers
#   bench/GeneratorTime/measure.sh 5
set -euo pipefail
cd "$(dirname "$0")"
runs=${1:-3}
for i in $(seq "$runs"); do
  dotnet build -c Release --no-restore --no-dependencies -t:Rebuild -p:ReportAnalyzer=true -p:UseSharedCompilation=false -v:d 2>&1 \
    | awk -v run="$i" '
        /Total generator execution time/ { total = $5 }
        / NetGen.SourceGeneration.NetworkGenerator$/ { netgen = $1 }
        / Microsoft.Interop.ComInterfaceGenerator$/ { com = $1 }
        END { printf "run %d: NetGen %s s (all generators %s s; SDK ComInterfaceGenerator %s s)\n", run, netgen, total, com }'
done
