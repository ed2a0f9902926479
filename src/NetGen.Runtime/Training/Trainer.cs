using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Numerics;
using System.Threading;

namespace NetGen;

/// <summary>
/// Runs training loops over generated networks: epochs of shuffled mini-batches, validation, stopping rules, and the
/// training-health checks that are the runtime counterpart of NetGen's analyzers.
/// </summary>
public static class Trainer
{
    /// <summary>Batches between the parameter snapshots that divergence rolls back to (see <see cref="Fit{T}"/>).</summary>
    internal const int SnapshotInterval = 16;

    /// <summary>
    /// Trains <paramref name="network"/> on <paramref name="train"/>. Each epoch visits every training row once in
    /// batches of <see cref="TrainingOptions.BatchSize"/>, then scores the network, checks its health, reports, runs the
    /// callbacks, the stopping rules and the learning-rate schedule. Batches use class labels when the data has them
    /// and the loss is a cross-entropy, else the target rows. Without <paramref name="options"/> the defaults of
    /// <see cref="TrainingOptions"/> apply: up to 1000 epochs, 10% held out for validation, early stopping after 10
    /// epochs without a better validation loss, and the best epoch's parameters restored.
    /// </summary>
    /// <returns>How many epochs ran, why training stopped, and every epoch's report.</returns>
    /// <exception cref="ArgumentException">The data is empty, does not fit the network, or holds a NaN or infinity; or an option cannot work.</exception>
    /// <exception cref="TrainingDivergedException">
    /// A loss, gradient or parameter became NaN or infinite, or a batch loss exceeded
    /// <see cref="TrainingOptions.DivergenceFactor"/> times the first one. The parameters are restored to the last
    /// snapshot whose loss passed the checks (snapshots are taken every 16 batches), and the optimizer is reset.
    /// </exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; the parameters are those after the last completed batch.</exception>
    public static TrainingResult Fit<T>(ITrainableNetwork<T> network, Dataset<T> train, TrainingOptions? options = null,
        IProgress<EpochReport>? progress = null, CancellationToken cancellationToken = default, Dataset<T>? validation = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(train);
        options ??= new TrainingOptions();
        options.Validate();
        CheckShape(network, train, nameof(train));
        if (train.Rows == 0)
        {
            throw new ArgumentException("train has no rows; Fit needs at least one training row.", nameof(train));
        }

        CheckFinite(train, nameof(train));
        if (validation is not null)
        {
            CheckShape(network, validation, nameof(validation));
            if (validation.Rows == 0)
            {
                throw new ArgumentException("validation has no rows; pass null for no validation data.", nameof(validation));
            }

            CheckFinite(validation, nameof(validation));
        }
        else if (options.ValidationSplit > 0)
        {
            int held = (int)Math.Round(train.Rows * options.ValidationSplit);
            if (held == 0 || held == train.Rows)
            {
                throw new ArgumentException(
                    $"TrainingOptions.ValidationSplit {options.ValidationSplit} of {train.Rows} training rows holds out {held}; " +
                    "set ValidationSplit = 0 (no validation) or pass a validation set.", nameof(options));
            }

            bool stratify = train.HasLabels && CanStratify(train, options.ValidationSplit);
            (train, validation) = DataSplit.TrainTest(train, options.ValidationSplit, options.Seed, stratified: stratify);
        }

        NetworkInfo info = network.Info;
        if (options.ClassWeights is { } classWeights)
        {
            int classes = info.OutputSize > 1 ? info.OutputSize : 2;
            if (!Classifies(info) || classWeights.Count != classes)
            {
                throw new ArgumentException(
                    Classifies(info)
                        ? $"TrainingOptions.ClassWeights has {classWeights.Count} weights; '{info.Name}' has {classes} classes."
                        : $"TrainingOptions.ClassWeights needs a classifier; '{info.Name}' ({info.Loss}, {info.Layers[^1].Activation} output) does not classify. Use sample weights (Dataset.WithSampleWeights).",
                    nameof(options));
            }
        }

        if (options.ClassWeights is not null || train.HasSampleWeights)
        {
            double total = 0;
            for (int r = 0; r < train.Rows; r++)
            {
                total += RowWeight(train, r, options.ClassWeights);
            }

            if (!(total > 0))
            {
                throw new ArgumentException("Every training row has weight 0 (class weights times sample weights); training needs some weight.", nameof(train));
            }
        }

        string monitor = options.Monitor ?? (validation is not null ? "val_loss" : "loss");
        CheckMetricName(monitor, info, validation is not null, options.EvaluateTrainingSet, nameof(TrainingOptions.Monitor));
        if (options.LearningRateSchedule is ReduceLROnPlateau plateau)
        {
            plateau.MonitorInUse = plateau.Monitor ?? monitor;
            CheckMetricName(plateau.MonitorInUse, info, validation is not null, options.EvaluateTrainingSet, "ReduceLROnPlateau.Monitor");
        }

        double previousClip = network.ClipGradientNorm;
        network.ClipGradientNorm = options.ClipGradientNorm ?? 0;
        try
        {
            return new Run<T>(network, train, validation, options, monitor, progress, cancellationToken).Execute();
        }
        finally
        {
            network.ClipGradientNorm = previousClip;
        }
    }

    /// <summary>
    /// Scores <paramref name="network"/> on <paramref name="data"/>: the mean loss by the network's declared loss; for
    /// classification outputs the accuracy and <see cref="ClassificationMetrics"/> (the largest output against the
    /// label or the largest target; for one output, a threshold of 0.5 for Sigmoid and 0 for Tanh); for regression
    /// losses <see cref="RegressionMetrics"/>.
    /// </summary>
    public static Evaluation Evaluate<T>(INeuralNetwork<T> network, Dataset<T> data) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        CheckShape(network, data, nameof(data));
        NetworkInfo info = network.Info;
        Activation output = info.Layers[^1].Activation;
        bool classifies = Classifies(info);
        bool regresses = !classifies && info.Loss is Loss.MeanSquaredError or Loss.MeanAbsoluteError or Loss.Huber;
        double threshold = ActivationTable.Of(output).ClassThreshold ?? 0.5;
        int classes = info.OutputSize > 1 ? info.OutputSize : 2;
        int[,]? confusion = classifies ? new int[classes, classes] : null;
        RegressionAccumulator? errors = regresses && data.Rows > 0 ? new RegressionAccumulator(info.OutputSize) : null;

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
                errors?.Add(y, t);
                if (confusion is not null)
                {
                    int predicted = info.OutputSize > 1 ? ArgMax(y) : double.CreateChecked(y[0]) >= threshold ? 1 : 0;
                    int actual = data.HasLabels ? data.Labels[start + r]
                        : info.OutputSize > 1 ? ArgMax(t) : double.CreateChecked(t[0]) >= threshold ? 1 : 0;
                    correct += predicted == actual ? 1 : 0;
                    if ((uint)actual < (uint)classes)
                    {
                        confusion[actual, predicted]++;
                    }
                }
            }
        }

        double perRow = info.Loss == Loss.CrossEntropy ? data.Rows : (double)data.Rows * network.OutputSize;
        return new Evaluation(info.Loss == Loss.None ? double.NaN : lossSum / perRow, classifies ? correct / (double)data.Rows : null, data.Rows)
        {
            Classification = confusion is null ? null : new ClassificationMetrics(confusion),
            Regression = errors?.Result(),
        };
    }

    /// <summary>Whether a larger value of the named metric is better (accuracy, precision, recall, F1, R²); losses and errors are minimised.</summary>
    internal static bool Maximizes(string metric)
    {
        string name = metric.StartsWith("val_", StringComparison.Ordinal) ? metric[4..] : metric;
        return name is "accuracy" or "precision" or "recall" or "f1" or "r2";
    }

    private static bool Classifies(NetworkInfo info)
    {
        ActivationFacts output = ActivationTable.Of(info.Layers[^1].Activation);
        return info.OutputSize > 1 ? output.ProbabilityLoss != Loss.None || info.Loss == Loss.CrossEntropy : output.ClassThreshold is not null;
    }

    private static void CheckMetricName(string metric, NetworkInfo info, bool hasValidation, bool trainingScores, string option)
    {
        bool classifies = Classifies(info);
        bool regresses = !classifies && info.Loss is Loss.MeanSquaredError or Loss.MeanAbsoluteError or Loss.Huber;
        var scores = new List<string>();
        if (classifies)
        {
            scores.AddRange(new[] { "accuracy", "precision", "recall", "f1" });
        }

        if (regresses)
        {
            scores.AddRange(new[] { "rmse", "mae", "r2" });
        }

        var names = new List<string> { "loss", "lr" };
        if (trainingScores)
        {
            names.AddRange(scores);
        }

        if (hasValidation)
        {
            names.Add("val_loss");
            names.AddRange(scores.ConvertAll(n => "val_" + n));
        }

        if (!names.Contains(metric))
        {
            throw new ArgumentException(
                $"{option} is \"{metric}\", which this run does not measure{(hasValidation ? "" : " (there is no validation data)")}; it has: {string.Join(", ", names)}.",
                nameof(TrainingOptions.Monitor));
        }
    }

    /// <summary>Row <paramref name="row"/>'s weight: its class's weight (when given) times its sample weight (when the data has them).</summary>
    private static double RowWeight<T>(Dataset<T> data, int row, IReadOnlyList<double>? classWeights) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double weight = data.HasSampleWeights ? double.CreateChecked(data.SampleWeights[row]) : 1;
        if (classWeights is not null)
        {
            ReadOnlySpan<T> t = data.TargetRow(row);
            int label = data.HasLabels ? data.Labels[row] : t.Length > 1 ? ArgMax(t) : double.CreateChecked(t[0]) >= 0.5 ? 1 : 0;
            weight *= classWeights[label];
        }

        return weight;
    }

    private static bool CanStratify<T>(Dataset<T> train, double fraction) where T : unmanaged, IFloatingPointIeee754<T>
    {
        // A stratified split rounds per class; it needs every part non-empty in total, which it is when some class rounds to at least one held-out row and none takes all its rows.
        var counts = new Dictionary<int, int>();
        foreach (int label in train.Labels)
        {
            counts[label] = counts.GetValueOrDefault(label) + 1;
        }

        int held = 0, kept = 0;
        foreach (int count in counts.Values)
        {
            int h = (int)Math.Round(count * fraction);
            held += h;
            kept += count - h;
        }

        return held > 0 && kept > 0;
    }

    private static void CheckFinite<T>(Dataset<T> data, string name) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int bad = TrainingMath.FirstNonFinite(data.Features);
        if (bad >= 0)
        {
            throw new ArgumentException(
                $"{name} row {bad / data.InputSize}, feature {bad % data.InputSize} is {data.Features[bad]}; training needs finite numbers (impute or drop the row).", name);
        }

        bad = TrainingMath.FirstNonFinite(data.Targets);
        if (bad >= 0)
        {
            throw new ArgumentException(
                $"{name} row {bad / data.TargetSize}, target {bad % data.TargetSize} is {data.Targets[bad]}; training needs finite numbers.", name);
        }
    }

    /// <summary>One call of <see cref="Fit{T}"/>: its buffers and the state of its stopping rules.</summary>
    private sealed class Run<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly ITrainableNetwork<T> _network;
        private readonly Dataset<T> _train;
        private readonly Dataset<T>? _validation;
        private readonly TrainingOptions _options;
        private readonly string _monitor;
        private readonly IProgress<EpochReport>? _progress;
        private readonly CancellationToken _cancellation;
        private readonly List<(int Number, LayerInfo Layer)> _dense;
        private readonly TrainingControl _control = new();
        private readonly bool _normsCoverAll;

        // Divergence rollback: a snapshot is "verified" once the batch run from it returned a loss that passed the checks.
        private T[] _verified;
        private T[] _pending;
        private bool _hasVerified;
        private bool _hasPending;
        private (int Epoch, int Batch) _verifiedAt;
        private (int Epoch, int Batch) _pendingAt;
        private double _referenceLoss = double.NaN;

        public Run(ITrainableNetwork<T> network, Dataset<T> train, Dataset<T>? validation, TrainingOptions options, string monitor,
            IProgress<EpochReport>? progress, CancellationToken cancellation)
        {
            _network = network;
            _train = train;
            _validation = validation;
            _options = options;
            _monitor = monitor;
            _progress = progress;
            _cancellation = cancellation;
            _dense = DenseLayers(network.Info);
            _normsCoverAll = _dense.Sum(d => d.Layer.ParameterCount) == network.ParameterCount;
            _verified = new T[network.ParameterCount];
            _pending = new T[network.ParameterCount];
        }

        public TrainingResult Execute()
        {
            ITrainableNetwork<T> network = _network;
            TrainingOptions options = _options;
            NetworkInfo info = network.Info;
            bool useLabels = _train.HasLabels && info.Loss is Loss.CrossEntropy or Loss.BinaryCrossEntropy;
            int batchSize = Math.Min(options.BatchSize, _train.Rows);
            var batchInputs = new T[batchSize * network.InputSize];
            var batchTargets = new T[batchSize * network.OutputSize];
            var batchLabels = new int[batchSize];
            bool weighted = options.ClassWeights is not null || _train.HasSampleWeights;
            T[]? batchWeights = weighted ? new T[batchSize] : null;
            var order = new int[_train.Rows];
            T[]? best = options.EarlyStoppingPatience > 0 && options.RestoreBestWeights ? new T[network.ParameterCount] : null;
            var norms = new double[_dense.Count];
            var history = new List<EpochReport>();
            for (int i = 0; i < order.Length; i++)
            {
                order[i] = i;
            }

            // The training rows scored after each epoch: all of them, or a fixed seeded sample (the same rows every epoch).
            Dataset<T> scored = !options.EvaluateTrainingSet || options.TrainingEvaluationRows == 0 || _train.Rows <= options.TrainingEvaluationRows
                ? _train
                : _train.Select(DataSplit.ShuffledRows(_train.Rows, options.Seed).AsSpan(0, options.TrainingEvaluationRows));
            bool maximize = Maximizes(_monitor);
            LearningRateSchedule? schedule = options.LearningRateSchedule;
            schedule?.Start(double.CreateChecked(network.LearningRate));
            foreach (TrainingCallback callback in options.Callbacks)
            {
                callback.OnTrainBegin(_control);
            }

            double bestValue = double.NaN, bestTrainLoss = double.PositiveInfinity;
            bool bestSaved = false;
            int bestEpoch = 0, sinceBest = 0, sinceTrainImproved = 0, stepsTaken = 0;
            StopReason reason = StopReason.EpochsCompleted;
            bool restored = false;
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
                double lossSum = 0, weightSeen = 0, learningRate = double.CreateChecked(network.LearningRate);
                int batches = 0, rowsSeen = 0;
                for (int start = 0; start < _train.Rows; start += batchSize)
                {
                    _cancellation.ThrowIfCancellationRequested();
                    int rows = Math.Min(batchSize, _train.Rows - start);
                    Gather(_train, order.AsSpan(start, rows), batchInputs, useLabels ? null : batchTargets, batchLabels);
                    Prefetch(_train, order.AsSpan(start + rows, Math.Min(batchSize, _train.Rows - start - rows)));
                    double batchWeight = rows;
                    if (batchWeights is not null)
                    {
                        batchWeight = 0;
                        for (int i = 0; i < rows; i++)
                        {
                            double w = RowWeight(_train, order[start + i], options.ClassWeights);
                            batchWeights[i] = T.CreateChecked(w);
                            batchWeight += w;
                        }

                        if (batchWeight == 0)
                        {
                            continue; // nothing to learn from: every row of this batch weighs 0
                        }
                    }

                    if (stepsTaken % SnapshotInterval == 0)
                    {
                        TakeSnapshot(epoch, batches);
                    }

                    ReadOnlySpan<T> inputs = batchInputs.AsSpan(0, rows * network.InputSize);
                    T loss = (useLabels, batchWeights) switch
                    {
                        (true, null) => network.TrainBatch(inputs, batchLabels.AsSpan(0, rows)),
                        (false, null) => network.TrainBatch(inputs, batchTargets.AsSpan(0, rows * network.OutputSize)),
                        (true, { } w) => network.TrainBatch(inputs, batchLabels.AsSpan(0, rows), w.AsSpan(0, rows)),
                        (false, { } w) => network.TrainBatch(inputs, batchTargets.AsSpan(0, rows * network.OutputSize), w.AsSpan(0, rows)),
                    };
                    batches++;
                    stepsTaken++;
                    double lossValue = double.CreateChecked(loss);
                    CheckBatch(epoch, batches, lossValue, norms);
                    lossSum += lossValue * batchWeight;
                    weightSeen += batchWeight;
                    rowsSeen += rows;
                    if (options.Callbacks.Count > 0)
                    {
                        // An index loop: foreach over the IReadOnlyList would allocate an enumerator every batch.
                        var batch = new BatchReport(epoch, batches, rows, lossValue, learningRate);
                        for (int c = 0; c < options.Callbacks.Count; c++)
                        {
                            options.Callbacks[c].OnBatchEnd(batch, _control);
                        }

                        if (_control.StopRequested)
                        {
                            break;
                        }
                    }
                }

                for (int k = 0; k < norms.Length; k++)
                {
                    norms[k] /= batches;
                }

                double trainLoss = lossSum / weightSeen;
                if (!TrainingMath.AllFinite((ReadOnlySpan<T>)network.Parameters))
                {
                    throw Diverged(epoch, batches, trainLoss, "a parameter is not a finite number");
                }

                Evaluation trained = options.EvaluateTrainingSet ? Evaluate(network, scored) : new Evaluation(trainLoss, null, rowsSeen);
                Evaluation? validated = _validation is null ? null : Evaluate(network, _validation);
                if (!double.IsFinite(trained.Loss) || (validated is not null && !double.IsFinite(validated.Loss)))
                {
                    string which = !double.IsFinite(trained.Loss) ? "training" : "validation";
                    throw Diverged(epoch, batches, validated?.Loss ?? trained.Loss, $"the {which} loss after the epoch is not a finite number");
                }

                var warnings = new List<TrainingWarning>();
                CheckGradients(options, _dense, norms, warnings);
                CheckDeadUnits(network, _train, options, _dense, warnings);
                // Stagnation reads the training rows' loss after the epoch, without dropout: the batches' mean with dropout is noisy.
                if (trained.Loss < bestTrainLoss - options.MinDelta)
                {
                    bestTrainLoss = trained.Loss;
                    sinceTrainImproved = 0;
                }
                else if (++sinceTrainImproved >= options.StagnationEpochs)
                {
                    warnings.Add(new TrainingWarning(TrainingWarningKind.Stagnation, null, sinceTrainImproved,
                        $"The training loss has not improved for {sinceTrainImproved} epochs (best {bestTrainLoss:G4}); " +
                        "try another learning rate, or stop here."));
                }

                var report = new EpochReport(epoch, trainLoss, trained, validated, learningRate,
                    Stopwatch.GetElapsedTime(started).TotalSeconds, (double[])norms.Clone(), _dense.ConvertAll(d => d.Number), warnings);
                history.Add(report);
                _progress?.Report(report);
                foreach (TrainingCallback callback in options.Callbacks)
                {
                    callback.OnEpochEnd(report, _control);
                }

                // The first epoch is always the best so far, so the best parameters are saved before they can be restored.
                double monitored = report.Metrics[_monitor];
                bool improved = !bestSaved || (maximize ? monitored - options.MinDelta > bestValue : monitored + options.MinDelta < bestValue);
                if (improved)
                {
                    bestValue = monitored;
                    bestEpoch = epoch;
                    bestSaved = true;
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

                if (_control.StopRequested)
                {
                    reason = StopReason.StoppedByCallback;
                    break;
                }

                if (options.TargetLoss is { } target && trainLoss <= target)
                {
                    reason = StopReason.TargetLossReached;
                    break;
                }

                if (options.EarlyStoppingPatience > 0 && sinceBest >= options.EarlyStoppingPatience)
                {
                    if (best is not null)
                    {
                        best.CopyTo(network.Parameters);
                        restored = true;
                    }

                    reason = StopReason.EarlyStopping;
                    break;
                }

                if (schedule is not null && epoch < options.Epochs)
                {
                    double next = schedule.Next(report, learningRate);
                    if (!(next > 0) || !double.IsFinite(next))
                    {
                        throw new InvalidOperationException($"{schedule.GetType().Name} gave the learning rate {next} for epoch {epoch + 1}; a rate must be finite and > 0.");
                    }

                    network.LearningRate = T.CreateChecked(next);
                }
            }

            var result = new TrainingResult(epoch, reason, history, bestEpoch, bestValue) { Monitor = _monitor, RestoredBestWeights = restored };
            foreach (TrainingCallback callback in options.Callbacks)
            {
                callback.OnTrainEnd(result);
            }

            return result;
        }

        /// <summary>
        /// The divergence rules after one step: a finite batch loss no larger than DivergenceFactor times the run's first
        /// positive one, then finite gradients (their per-layer norms, which the report needs anyway) and finite parameters.
        /// </summary>
        private void CheckBatch(int epoch, int batch, double loss, double[] norms)
        {
            if (!double.IsFinite(loss))
            {
                throw Diverged(epoch, batch, loss, "the loss is not a finite number");
            }

            if (double.IsNaN(_referenceLoss) && loss > 0)
            {
                _referenceLoss = loss;
            }
            else if (loss > _options.DivergenceFactor * _referenceLoss)
            {
                throw Diverged(epoch, batch, loss,
                    $"the loss exploded to {loss:G3}, more than TrainingOptions.DivergenceFactor {_options.DivergenceFactor:G3} times the first batch's {_referenceLoss:G3}");
            }

            // The loss was computed from the parameters the pending snapshot holds: that snapshot passed.
            if (_hasPending)
            {
                (_verified, _pending) = (_pending, _verified);
                _verifiedAt = _pendingAt;
                _hasVerified = true;
                _hasPending = false;
            }

            ReadOnlySpan<T> gradients = _network.LastGradients;
            bool finite = true;
            for (int k = 0; k < _dense.Count; k++)
            {
                LayerInfo layer = _dense[k].Layer;
                double sum = TrainingMath.SumOfSquares(gradients.Slice(layer.WeightOffset, layer.ParameterCount));
                finite &= double.IsFinite(sum);
                norms[k] += Math.Sqrt(sum);
            }

            if (!finite || (!_normsCoverAll && !TrainingMath.AllFinite(gradients)))
            {
                throw Diverged(epoch, batch, loss, "a gradient is not a finite number");
            }
        }

        /// <summary>
        /// Copies the parameters into the pending snapshot before batch <paramref name="batchesDone"/> + 1, and checks
        /// them there (on the copy, in cache): a step that overflowed a parameter while its loss and gradient were
        /// finite is caught here at the latest, before a non-finite snapshot could be kept. Checking at snapshots, not
        /// after every batch, keeps the guard at one pass over the parameters per <see cref="SnapshotInterval"/> batches.
        /// </summary>
        public void TakeSnapshot(int epoch, int batchesDone)
        {
            _network.Parameters.CopyTo(_pending);
            if (!TrainingMath.AllFinite((ReadOnlySpan<T>)_pending))
            {
                throw Diverged(epoch, batchesDone, double.NaN, "a parameter is not a finite number");
            }

            _hasPending = true;
            _pendingAt = (epoch, batchesDone + 1);
        }

        /// <summary>Rolls the parameters back to the last verified snapshot (or, before any, the starting ones), resets the optimizer, and builds the exception.</summary>
        private TrainingDivergedException Diverged(int epoch, int batch, double loss, string what)
        {
            (int Epoch, int Batch) at;
            if (_hasVerified)
            {
                _verified.CopyTo(_network.Parameters);
                at = _verifiedAt;
            }
            else
            {
                _pending.CopyTo(_network.Parameters);
                at = _pendingAt;
            }

            _network.ResetOptimizer();
            return new TrainingDivergedException(epoch, batch, loss, what, at.Epoch, at.Batch);
        }
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
        if (options.DeadUnitSampleRows == 0 || !dense.Exists(d => ActivationTable.Of(d.Layer.Activation).IsRectifier))
        {
            return;
        }

        int total = 0;
        foreach ((_, LayerInfo layer) in dense)
        {
            total += layer.Units;
        }

        // A unit is alive once one probed row makes it fire. The probe stops as soon as every rectifier unit has fired
        // (in a healthy network within the first few rows): later rows could not change the outcome, no warning.
        var activations = new T[total];
        var alive = new bool[total];
        var rectifier = new bool[total];
        int at = 0, rectifiers = 0;
        foreach ((_, LayerInfo layer) in dense)
        {
            bool rectifies = ActivationTable.Of(layer.Activation).IsRectifier;
            Array.Fill(rectifier, rectifies, at, layer.Units);
            rectifiers += rectifies ? layer.Units : 0;
            at += layer.Units;
        }

        int probe = Math.Min(options.DeadUnitSampleRows, train.Rows), living = 0;
        for (int r = 0; r < probe && living < rectifiers; r++)
        {
            network.PredictLayers(train.Row(r), activations);
            for (int i = 0; i < total; i++)
            {
                if (!alive[i] && activations[i] > T.Zero)
                {
                    alive[i] = true;
                    living += rectifier[i] ? 1 : 0;
                }
            }
        }

        int offset = 0;
        foreach ((int number, LayerInfo layer) in dense)
        {
            if (ActivationTable.Of(layer.Activation).IsRectifier)
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

    /// <summary>The bytes of each row <see cref="Prefetch{T}"/> asks for: its first four cache lines.</summary>
    private const int PrefetchBytes = 256;

    /// <summary>
    /// Asks the caches for the feature rows of the next batch while this one trains, so that its gather copies from the
    /// cache instead of waiting for memory row by row (shuffled rows lie anywhere in the data set). A prefetch changes
    /// no value and cannot fault; without SSE this does nothing.
    /// </summary>
    private static unsafe void Prefetch<T>(Dataset<T> data, ReadOnlySpan<int> rows)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!System.Runtime.Intrinsics.X86.Sse.IsSupported || rows.IsEmpty)
        {
            return;
        }

        // The first lines of each row only: the hardware's stream prefetcher follows a row once its copy starts, and
        // asking for every line (49 a row here) filled the miss queue and cost more than the gather saved.
        int bytes = Math.Min(data.InputSize * sizeof(T), PrefetchBytes);
        fixed (T* features = data.Features)
        {
            for (int i = 0; i < rows.Length; i++)
            {
                byte* line = (byte*)(features + ((long)rows[i] * data.InputSize));
                for (int b = 0; b < bytes; b += 64)
                {
                    System.Runtime.Intrinsics.X86.Sse.Prefetch2(line + b);
                }
            }
        }
    }

    /// <summary>Copies the batch's rows: features, and target rows (unless <paramref name="targets"/> is null, when labels are used) or labels.</summary>
    private static void Gather<T>(Dataset<T> data, ReadOnlySpan<int> rows, T[] inputs, T[]? targets, int[] labels)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < rows.Length; i++)
        {
            int row = rows[i];
            data.Row(row).CopyTo(inputs.AsSpan(i * data.InputSize));
            if (targets is not null)
            {
                data.TargetRow(row).CopyTo(targets.AsSpan(i * data.TargetSize));
            }

            if (data.HasLabels)
            {
                labels[i] = data.Labels[row];
            }
        }
    }

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
