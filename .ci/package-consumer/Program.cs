// A user program that references only the NetGen package: it learns XOR and prints the truth table.
using System;
using NetGen;
var net = new Xor(seed: 3);
float[] x = { 0, 0, 0, 1, 1, 0, 1, 1 };
int[] y = { 0, 1, 1, 0 };
for (int i = 0; i < 2000; i++) net.TrainBatch(x, y);
for (int r = 0; r < 4; r++) System.Console.WriteLine($"{x[2 * r]} xor {x[2 * r + 1]} = {net.PredictClass(x.AsSpan(2 * r, 2))}");

[Network(Loss = Loss.BinaryCrossEntropy, Optimizer = Optimizer.Adam, LearningRate = 0.05)]
[Input(2)]
[Dense(8, Activation.Tanh)]
[Dense(1, Activation.Sigmoid)]
public partial class Xor { }

[Input(3)] [Dense(4, Activation.ReLU, Init = Init.GlorotUniform)] [Dense(1)]
public partial class Risky { }
