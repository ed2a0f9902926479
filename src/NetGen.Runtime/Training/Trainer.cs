using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Numerics;
using System.Threading;

namespace NetGen;

/// <summary>
/// Runs training loops over generated networks: epochs of shuffled mini-batches, validation, stopping rules, and the
/// training-health checks that are the runtime counterpart of NetGen's analyzers.
/// </summary>
public static class Trainer
{
    /// <summary>
    /// Trains <paramref name="network"/> on <paramref name="train"/>. Each epoch visits every training row once in
    /// batches of <see cref="TrainingOptions.BatchSize"/>, then evaluates, checks the network's health and reports.
    /// Batches use class labels when the data has them and the loss is a cross-entropy, else the target rows.
    /// </summary>
    /// <returns>How many epochs ran, why training stopped, and every epoch's report.</returns>
    /// <exception cref="TrainingDivergedException">A loss, gradient or parameter became NaN or infinite; the parameters from before that batch are kept.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; the parameters are those after the last completed batch.</exception>
    public static TrainingResult Fit<T>(ITrainableNetwork<T> network, Dataset<T> train, TrainingOptions options,
        IProgress<EpochReport>? progress = null, CancellationToken cancellationToken = default, Dataset<T>? validation = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        CheckShape(network, train, nameof(train));
        if (validation is not null)
        {
            CheckShape(network, validation, nameof(validation));
        }
        else if (options.ValidationSplit > 0)
        {
            (train, validation) = DataSplit.TrainTest(train, options.ValidationSplit, options.Seed);
        }

        NetworkInfo info = network.Info;
        bool useLabels = train.HasLabels && info.Loss is Loss.CrossEntropy or Loss.BinaryCrossEntropy;
        int batchSize = Math.Min(options.BatchSize, train.Rows);
        var batchInputs = new T[batchSize * network.InputSize];
        var batchTargets = new T[batchSize * network.OutputSize];
        var batchLabels = new int[batchSize];
        var order = new int[train.Rows];
        var lastGood = new T[network.ParameterCount];
        T[]? best = options.EarlyStoppingPatience > 0 ? new T[network.ParameterCount] : null;
        List<(int Number, LayerInfo Layer)> dense = DenseLayers(info);
        var norms = new double[dense.Count];
        var history = new List<EpochReport>();
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        double bestLoss = double.PositiveInfinity, bestTrainLoss = double.PositiveInfinity;
        int bestEpoch = 0, sinceBest = 0, sinceTrainImproved = 0;
        StopReason reason = StopReason.EpochsCompleted;
        int epoch = 0;
        while (epoch < options.Epochs)
        {
            epoch++;
            long started = Stopwatch.GetTimestamp();
            if (options.Shuffle)
            {
                var random = new SeededRandom(options.Seed, stream: epoch);
                random.Shuffle(order.AsSpan());
            }

            Array.Clear(norms);
            double lossSum = 0;
            int batches = 0;
            for (int start = 0; start < train.Rows; start += batchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int rows = Math.Min(batchSize, train.Rows - start);
                Gather(train, order.AsSpan(start, rows), batchInputs, batchTargets, batchLabels);
                network.Parameters.CopyTo(lastGood);

                T loss = useLabels
                    ? network.TrainBatch(batchInputs.AsSpan(0, rows * network.InputSize), batchLabels.AsSpan(0, rows))
                    : network.TrainBatch(batchInputs.AsSpan(0, rows * network.InputSize), batchTargets.AsSpan(0, rows * network.OutputSize));
                batches++;
                double lossValue = double.CreateChecked(loss);
                string? problem = !double.IsFinite(lossValue) ? "the loss is not a finite number"
                    : !AllFinite(network.LastGradients) ? "a gradient is not a finite number"
                    : !AllFinite(network.Parameters) ? "a parameter is not a finite number"
                    : null;
                if (problem is not null)
                {
                    lastGood.CopyTo(network.Parameters);
                    network.ResetOptimizer();
                    throw new TrainingDivergedException(epoch, batches, lossValue, problem);
                }

                lossSum += lossValue * rows;
                AddGradientNorms(network.LastGradients, dense, norms);
            }

            for (int k = 0; k < norms.Length; k++)
            {
                norms[k] /= batches;
            }

            double trainLoss = lossSum / train.Rows;
            Evaluation trained = Evaluate(network, train);
            Evaluation? validated = validation is null ? null : Evaluate(network, validation);

            var warnings = new List<TrainingWarning>();
            CheckGradients(options, dense, norms, warnings);
            CheckDeadUnits(network, train, options, dense, warnings);
            if (trainLoss < bestTrainLoss - options.MinDelta)
            {
                bestTrainLoss = trainLoss;
                sinceTrainImproved = 0;
            }
            else if (++sinceTrainImproved >= options.StagnationEpochs)
            {
                warnings.Add(new TrainingWarning(TrainingWarningKind.Stagnation, null, sinceTrainImproved,
                    $"The training loss has not improved for {sinceTrainImproved} epochs (best {bestTrainLoss:G4}); " +
                    "try another learning rate, or stop here."));
            }

            var report = new EpochReport(epoch, trainLoss, trained.Accuracy, validated?.Loss, validated?.Accuracy,
                Stopwatch.GetElapsedTime(started).TotalSeconds, (double[])norms.Clone(), dense.ConvertAll(d => d.Number), warnings);
            history.Add(report);
            progress?.Report(report);

            double monitored = validated?.Loss ?? trainLoss;
            if (monitored < bestLoss - options.MinDelta)
            {
                bestLoss = monitored;
                bestEpoch = epoch;
                sinceBest = 0;
                if (best is not null)
                {
                    network.Parameters.CopyTo(best);
                }
            }
            else
            {
                sinceBest++;
            }

            if (options.TargetLoss is { } target && trainLoss <= target)
            {
                reason = StopReason.TargetLossReached;
                break;
            }

            if (best is not null && sinceBest >= options.EarlyStoppingPatience)
            {
                best.CopyTo(network.Parameters);
                reason = StopReason.EarlyStopping;
                break;
            }
        }

        return new TrainingResult(epoch, reason, history, bestEpoch, bestLoss);
    }

    /// <summary>
    /// Scores <paramref name="network"/> on <paramref name="data"/>: the mean loss by the network's declared loss, and
    /// for classification outputs the accuracy (the largest output against the label or the largest target; for one
    /// output, a threshold of 0.5 for Sigmoid and 0 for Tanh).
    /// </summary>
    public static Evaluation Evaluate<T>(INeuralNetwork<T> network, Dataset<T> data) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        CheckShape(network, data, nameof(data));
        NetworkInfo info = network.Info;
        Activation output = info.Layers[^1].Activation;
        bool classifies = info.OutputSize > 1 ? output is Activation.Softmax or Activation.Sigmoid || info.Loss == Loss.CrossEntropy
            : output is Activation.Sigmoid or Activation.Tanh or Activation.Step or Activation.Sign;
        double threshold = output is Activation.Tanh or Activation.Sign ? 0 : 0.5;

        const int chunk = 64;
        var outputs = new T[chunk * network.OutputSize];
        double lossSum = 0;
        int correct = 0;
        for (int start = 0; start < data.Rows; start += chunk)
        {
            int rows = Math.Min(chunk, data.Rows - start);
            network.PredictBatch(data.Features.Slice(start * data.InputSize, rows * data.InputSize), outputs.AsSpan(0, rows * network.OutputSize));
            for (int r = 0; r < rows; r++)
            {
                ReadOnlySpan<T> y = outputs.AsSpan(r * network.OutputSize, network.OutputSize);
                ReadOnlySpan<T> t = data.TargetRow(start + r);
                lossSum += Losses.RowLoss(info.Loss, y, t);
                if (classifies)
                {
                    int predicted = info.OutputSize > 1 ? ArgMax(y) : double.CreateChecked(y[0]) >= threshold ? 1 : 0;
                    int actual = data.HasLabels ? data.Labels[start + r]
                        : info.OutputSize > 1 ? ArgMax(t) : double.CreateChecked(t[0]) >= threshold ? 1 : 0;
                    correct += predicted == actual ? 1 : 0;
                }
            }
        }

        double perRow = info.Loss == Loss.CrossEntropy ? data.Rows : (double)data.Rows * network.OutputSize;
        return new Evaluation(info.Loss == Loss.None ? double.NaN : lossSum / perRow, classifies ? correct / (double)data.Rows : null, data.Rows);
    }

    private static void CheckGradients(TrainingOptions options, List<(int Number, LayerInfo Layer)> dense, double[] norms, List<TrainingWarning> warnings)
    {
        if (norms.Length < 2)
        {
            return;
        }

        double first = norms[0], last = norms[^1];
        double ratio = last > 0 ? first / last : first > 0 ? double.PositiveInfinity : 1;
        string where = $"layer {dense[0].Number} vs layer {dense[^1].Number}";
        if (ratio < options.VanishingGradientRatio && first < options.VanishingGradientNorm)
        {
            warnings.Add(new TrainingWarning(TrainingWarningKind.VanishingGradient, dense[0].Number, ratio,
                $"Vanishing gradient: the first layer's gradient norm is {first:E2}, {ratio:E2} times the last layer's ({where}; " +
                $"flagged below {options.VanishingGradientRatio:G3}). Saturating activations (Sigmoid, Tanh) shrink it layer by layer; ReLU with He init keeps it."));
        }
        else if (ratio > options.ExplodingGradientRatio)
        {
            warnings.Add(new TrainingWarning(TrainingWarningKind.ExplodingGradient, dense[0].Number, ratio,
                $"Exploding gradient: the first layer's gradient norm is {first:E2}, {ratio:G3} times the last layer's ({where}; " +
                $"flagged above {options.ExplodingGradientRatio:G3}). Lower the learning rate or check the initialisation."));
        }
    }

    private static void CheckDeadUnits<T>(ITrainableNetwork<T> network, Dataset<T> train, TrainingOptions options,
        List<(int Number, LayerInfo Layer)> dense, List<TrainingWarning> warnings)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (options.DeadUnitSampleRows == 0 || !dense.Exists(d => d.Layer.Activation is Activation.ReLU or Activation.LeakyReLU or Activation.PReLU))
        {
            return;
        }

        int total = 0;
        foreach ((_, LayerInfo layer) in dense)
        {
            total += layer.Units;
        }

        var activations = new T[total];
        var alive = new bool[total];
        int probe = Math.Min(options.DeadUnitSampleRows, train.Rows);
        for (int r = 0; r < probe; r++)
        {
            network.PredictLayers(train.Row(r), activations);
            for (int i = 0; i < total; i++)
            {
                alive[i] |= activations[i] > T.Zero;
            }
        }

        int offset = 0;
        foreach ((int number, LayerInfo layer) in dense)
        {
            if (layer.Activation is Activation.ReLU or Activation.LeakyReLU or Activation.PReLU)
            {
                int dead = 0;
                for (int u = 0; u < layer.Units; u++)
                {
                    dead += alive[offset + u] ? 0 : 1;
                }

                double fraction = dead / (double)layer.Units;
                if (fraction >= options.DeadUnitFraction)
                {
                    warnings.Add(new TrainingWarning(TrainingWarningKind.DeadUnits, number, fraction,
                        $"Dead units: {dead} of layer {number}'s {layer.Units} {layer.Activation} units ({fraction:P0}) output ≤ 0 for all {probe} probed rows " +
                        $"(flagged at {options.DeadUnitFraction:P0}). Lower the learning rate, use He initialisation, or try LeakyReLU."));
                }
            }

            offset += layer.Units;
        }
    }

    private static void AddGradientNorms<T>(ReadOnlySpan<T> gradients, List<(int Number, LayerInfo Layer)> dense, double[] norms)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int k = 0; k < dense.Count; k++)
        {
            LayerInfo layer = dense[k].Layer;
            double sum = 0;
            foreach (T g in gradients.Slice(layer.WeightOffset, layer.ParameterCount))
            {
                double v = double.CreateChecked(g);
                sum += v * v;
            }

            norms[k] += Math.Sqrt(sum);
        }
    }

    private static List<(int Number, LayerInfo Layer)> DenseLayers(NetworkInfo info)
    {
        var dense = new List<(int, LayerInfo)>();
        for (int i = 0; i < info.Layers.Count; i++)
        {
            if (info.Layers[i].Kind == LayerKind.Dense)
            {
                dense.Add((i + 1, info.Layers[i]));
            }
        }

        return dense;
    }

    private static void Gather<T>(Dataset<T> data, ReadOnlySpan<int> rows, T[] inputs, T[] targets, int[] labels)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < rows.Length; i++)
        {
            int row = rows[i];
            data.Row(row).CopyTo(inputs.AsSpan(i * data.InputSize));
            data.TargetRow(row).CopyTo(targets.AsSpan(i * data.TargetSize));
            if (data.HasLabels)
            {
                labels[i] = data.Labels[row];
            }
        }
    }

    private static bool AllFinite<T>(ReadOnlySpan<T> values) where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (T v in values)
        {
            if (!T.IsFinite(v))
            {
                return false;
            }
        }

        return true;
    }

    private static bool AllFinite<T>(Span<T> values) where T : unmanaged, IFloatingPointIeee754<T> => AllFinite((ReadOnlySpan<T>)values);

    private static int ArgMax<T>(ReadOnlySpan<T> values) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }

        return best;
    }

    private static void CheckShape<T>(INeuralNetwork<T> network, Dataset<T> data, string name)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (data.InputSize != network.InputSize || data.TargetSize != network.OutputSize)
        {
            throw new ArgumentException(
                $"{name} has {data.InputSize} features and {data.TargetSize} targets per row; '{network.Info.Name}' takes {network.InputSize} and gives {network.OutputSize}.",
                name);
        }
    }
}
