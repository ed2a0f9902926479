using System;
using System.Linq;
using BenchmarkDotNet.Running;
using NetGen.Bench;

// dotnet run -c Release --project bench/NetGen.Bench -- --quick [--no-pytorch] [--inference] [--json file]   the comparison table (--inference: no training rows)
// dotnet run -c Release --project bench/NetGen.Bench -- --prototypes                          kernel prototypes (Prototypes/)
// dotnet run -c Release --project bench/NetGen.Bench -- --reduced [fashion-mnist folder]           bfloat16/int8 weights: accuracy against float
// dotnet run -c Release --project bench/NetGen.Bench -- --fit                                 Trainer.Fit against a bare TrainBatch loop
// dotnet run -c Release --project bench/NetGen.Bench -- --optimizers                          one Adam/SGD step over 235,146 floats against the memory floor
// dotnet run -c Release --project bench/NetGen.Bench -- --fit-loop fit|bare|noeval SECONDS    one epoch case repeated, for perf record
// dotnet run -c Release --project bench/NetGen.Bench -- --train-profile [name parts]          where a training step's time goes (only cases naming a part)
// dotnet run -c Release --project bench/NetGen.Bench -- --train-step [rows] [rounds]         TrainBatch on one thread (thread CPU), then parameter hashes for comparing builds' bits
// dotnet run -c Release --project bench/NetGen.Bench -- --adam-sizes                          Adam per 8 values from L1-sized to memory-sized arrays
// dotnet run -c Release --project bench/NetGen.Bench -- --adam-variant                        Adam against the same loop with one division fewer (other bits)
// dotnet run -c Release --project bench/NetGen.Bench -- --epoch-kernels [rounds]               the epoch's 64-row step kernel by kernel, with GFLOP/s
// dotnet run -c Release --project bench/NetGen.Bench -- --two-core [rounds]                  one core against two (PredictBatch, TrainBatch), serial pieces
// dotnet run -c Release --project bench/NetGen.Bench -- --two-core-trace [rounds]            PredictBatch 256 rows on two cores by chunk cut: each thread's chunks, speed, wait
// dotnet run -c Release --project bench/NetGen.Bench -- --batch-tails [rounds]               PredictBatch at 61-67 and 250-256 rows per row: the rows after the 6-row tiles
// dotnet run -c Release --project bench/NetGen.Bench -- --predict-profile                     where one-row Predict's time goes
// dotnet run -c Release --project bench/NetGen.Bench -- --predict-context [rounds | copies [rounds] [n]]  one-row Predict (NetGen, ORT) after what --quick runs between rounds; n instances
// dotnet run -c Release --project bench/NetGen.Bench -- --small-profile [rounds | loop S]   where one-row Predict of 13-32-16-3 spends its time, beside ONNX Runtime
// dotnet run -c Release --project bench/NetGen.Bench -- --sparse-row [rounds]              one-row Predict with PackedDense's zero-input skipping on and off, random rows and a Fashion-MNIST image, beside ONNX Runtime
// dotnet run -c Release --project bench/NetGen.Bench -- --small-row-ab [rounds]            13-32-16-3's one-row layers through Row256 and SmallRow256, and the generated Predict both ways
// dotnet run -c Release --project bench/NetGen.Bench -- --batch-profile [rounds]            where PredictBatch of 64 rows spends its time, beside ONNX Runtime
// dotnet run -c Release --project bench/NetGen.Bench -- --batch-context [rounds]            PredictBatch 64 rows call by call after what --quick runs before it
// dotnet run -c Release --project bench/NetGen.Bench -- --batch-placement [rounds] [copies]  layer 1 of PredictBatch 64 on copies of its weights: managed, native, huge pages
// dotnet run -c Release --project bench/NetGen.Bench -- --int8-profile [rounds]                where int8 PredictBatch's (and Predict's) time goes, beside ORT; bfloat16 Predict's panel order
// dotnet run -c Release --project bench/NetGen.Bench -- --bf16-probe [rounds]                  bfloat16 one-row loop variants over 784 -> 256
// dotnet run -c Release --project bench/NetGen.Bench -- --guard                               TrainBatch's NaN/label check against TrainBatch
// dotnet run -c Release --project bench/NetGen.Bench -- --activations                         VectorMath vs MathF loops
// dotnet run -c Release --project bench/NetGen.Bench -- --accuracy STRIDE                      VectorMath errors, every STRIDE-th float
// dotnet run -c Release --project bench/NetGen.Bench -- [BenchmarkDotNet arguments]              the detailed suite
if (args.Length > 1 && args[0] == "--accuracy")
{
    Console.WriteLine(ActivationAccuracy.Run(long.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture)));
    return;
}

if (args.Length > 0 && args[0] == "--reduced")
{
    Console.WriteLine(ReducedAccuracy.Run(args.Length > 1 ? args[1] : "/usr/share/datasets/fashion-mnist"));
    return;
}

if (args.Length > 0 && args[0] == "--prototypes")
{
    Console.WriteLine(NetGen.Bench.Prototypes.PrototypeRunner.Run());
    return;
}

if (args.Length > 0 && args[0] == "--fit")
{
    Console.WriteLine(FitOverheadQuick.Run());
    return;
}

if (args.Length > 0 && args[0] == "--optimizers")
{
    Console.WriteLine(OptimizerSpeed.Run());
    return;
}

if (args.Length > 2 && args[0] == "--fit-loop")
{
    Console.WriteLine(FitEpochLoop.Run(args[1], NumberArg(2)));
    return;
}

if (args.Length > 0 && args[0] == "--sparse-row")
{
    Console.WriteLine(SparseRowAb.Run(args.Length > 1 ? (int)NumberArg(1) : 21));
    return;
}

if (args.Length > 0 && args[0] == "--train-profile")
{
    Console.WriteLine(args.Length > 2 ? TrainingProfile.Loop(args[1], NumberArg(2)) : TrainingProfile.Run(args.Length > 1 ? args[1] : null));
    return;
}

if (args.Length > 0 && args[0] == "--adam-variant")
{
    Console.WriteLine(TrainStepProbe.AdamVariant());
    return;
}

if (args.Length > 0 && args[0] == "--adam-sizes")
{
    Console.WriteLine(TrainStepProbe.AdamSizes());
    return;
}

if (args.Length > 0 && args[0] == "--train-step")
{
    Console.WriteLine(TrainStepProbe.Run(IntArg(1, 64),
        IntArg(2, 101)));
    return;
}

if (args.Length > 0 && args[0] == "--epoch-kernels")
{
    Console.WriteLine(EpochKernelProfile.Run(IntArg(1, 11)));
    return;
}

if (args.Length > 0 && args[0] == "--two-core")
{
    Console.WriteLine(TwoCoreQuick.Run(IntArg(1, 15)));
    return;
}

if (args.Length > 0 && args[0] == "--two-core-trace")
{
    Console.WriteLine(TwoCoreTrace.Run(IntArg(1, 21)));
    return;
}

if (args.Length > 0 && args[0] == "--batch-tails")
{
    Console.WriteLine(BatchTails.Run(IntArg(1, 15)));
    return;
}

if (args.Length > 0 && args[0] == "--predict-context")
{
    Console.WriteLine(args.Length > 1 && args[1] == "copies"
        ? PredictContext.Copies(IntArg(2, 21), IntArg(3, 6))
        : PredictContext.Run(IntArg(1, 15)));
    return;
}

if (args.Length > 0 && args[0] == "--predict-profile")
{
    Console.WriteLine(PredictProfile.Run());
    return;
}

if (args.Length > 0 && args[0] == "--small-profile")
{
    Console.WriteLine(args.Length > 2 && args[1] == "loop" ? SmallProfile.Loop(NumberArg(2))
        : SmallProfile.Run(IntArg(1, 31)));
    return;
}

if (args.Length > 0 && args[0] == "--small-row-ab")
{
    Console.WriteLine(SmallRowAb.Run(IntArg(1, 41)));
    return;
}

if (args.Length > 0 && args[0] == "--batch-profile")
{
    Console.WriteLine(BatchProfile.Run(IntArg(1, 31)));
    return;
}

if (args.Length > 0 && args[0] == "--batch-context")
{
    Console.WriteLine(BatchContext.Run(IntArg(1, 15)));
    return;
}

if (args.Length > 0 && args[0] == "--batch-placement")
{
    Console.WriteLine(BatchPlacement.Run(IntArg(1, 31), IntArg(2, 6)));
    return;
}

if (args.Length > 0 && args[0] == "--int8-profile")
{
    Console.WriteLine(Int8Profile.Run(IntArg(1, 41)));
    return;
}

if (args.Length > 0 && args[0] == "--bf16-probe")
{
    Console.WriteLine(Bf16Probe.Run(IntArg(1, 41)));
    return;
}

if (args.Length > 0 && args[0] == "--guard")
{
    Console.WriteLine(GuardCostQuick.Run());
    return;
}

if (args.Length > 0 && args[0] == "--activations")
{
    Console.WriteLine(ActivationSpeed.Run());
    return;
}

if (args.Length > 0 && args[0] == "--quick")
{
    int json = Array.IndexOf(args, "--json");
    Console.WriteLine(QuickTable.Run(pytorch: !args.Contains("--no-pytorch"), json >= 0 && json + 1 < args.Length ? args[json + 1] : null, training: !args.Contains("--inference")));
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(InferenceBenchmarks).Assembly).Run(args);

// The optional whole-number argument at args[index], or fallback when it is absent.
int IntArg(int index, int fallback) =>
    args.Length > index ? int.Parse(args[index], System.Globalization.CultureInfo.InvariantCulture) : fallback;

// The number at args[index] (callers have checked that it is there).
double NumberArg(int index) => double.Parse(args[index], System.Globalization.CultureInfo.InvariantCulture);
