using NetGen;

namespace VanishingGradients;

// Three networks of the same shape, 64 -> six hidden layers of 32 -> 10, trained alike (SGD with momentum, learning
// rate 0.05): only the hidden activation and its matching initialisation differ. Sigmoid' is at most 0.25, so the
// gradient reaching layer 1 through six sigmoid layers can shrink by up to 0.25^6 = 2.4e-4 (NetGen's analyzer says so
// as NG1006 when this file compiles); tanh' is at most 1 but below 1 away from 0; ReLU' is 1 wherever a unit is on.

[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Sgd, LearningRate = 0.01, Momentum = 0.9)]
[Input(64)]
[Dense(32, Activation.Sigmoid)]
[Dense(32, Activation.Sigmoid)]
[Dense(32, Activation.Sigmoid)]
[Dense(32, Activation.Sigmoid)]
[Dense(32, Activation.Sigmoid)]
[Dense(32, Activation.Sigmoid)]
[Dense(10, Activation.Softmax)]
public partial class DeepSigmoidNet { }

[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Sgd, LearningRate = 0.01, Momentum = 0.9)]
[Input(64)]
[Dense(32, Activation.Tanh)]
[Dense(32, Activation.Tanh)]
[Dense(32, Activation.Tanh)]
[Dense(32, Activation.Tanh)]
[Dense(32, Activation.Tanh)]
[Dense(32, Activation.Tanh)]
[Dense(10, Activation.Softmax)]
public partial class DeepTanhNet { }

[Network(Loss = Loss.CrossEntropy, Optimizer = Optimizer.Sgd, LearningRate = 0.01, Momentum = 0.9)]
[Input(64)]
[Dense(32, Activation.ReLU, Init = Init.HeNormal)]
[Dense(32, Activation.ReLU, Init = Init.HeNormal)]
[Dense(32, Activation.ReLU, Init = Init.HeNormal)]
[Dense(32, Activation.ReLU, Init = Init.HeNormal)]
[Dense(32, Activation.ReLU, Init = Init.HeNormal)]
[Dense(32, Activation.ReLU, Init = Init.HeNormal)]
[Dense(10, Activation.Softmax)]
public partial class DeepReluNet { }
