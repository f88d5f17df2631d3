"""A quickstart-style loop: a Dataset and DataLoader, a Module with nn.Sequential, train/test."""

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

n = 64
features = torch.linspace(-1.0, 1.0, n * 4, dtype=torch.float64).reshape(n, 2, 2)
labels = (features.sum(dim=(1, 2)) > 0).long() + (features[:, 0, 0] > 0.5).long()
data = TensorDataset(features, labels)
print(len(data), data[3][0].shape, data[3][1].item())
loader = DataLoader(data, batch_size=16)


class NeuralNetwork(nn.Module):
    def __init__(self):
        super().__init__()
        self.flatten = nn.Flatten()
        self.linear_relu_stack = nn.Sequential(
            nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 8), nn.Tanh(), nn.Linear(8, 3)
        )

    def forward(self, x):
        return self.linear_relu_stack(self.flatten(x))


model = NeuralNetwork().double()
print(model)
with torch.no_grad():
    for i, p in enumerate(model.parameters()):
        p.copy_(
            torch.linspace(-0.5, 0.5, p.numel(), dtype=torch.float64).reshape(p.shape) * (-1) ** i
        )

loss_fn = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.5)


def train(dataloader, model, loss_fn, optimizer):
    model.train()
    for X, y in dataloader:
        loss = loss_fn(model(X), y)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
    return loss.item()


def test(dataloader, model, loss_fn):
    model.eval()
    test_loss, correct = 0, 0
    with torch.no_grad():
        for X, y in dataloader:
            pred = model(X)
            test_loss += loss_fn(pred, y).item()
            correct += (pred.argmax(1) == y).type(torch.float).sum().item()
    return test_loss / len(dataloader), correct / len(dataloader.dataset)


for epoch in range(20):
    last = train(loader, model, loss_fn, optimizer)
    if epoch % 5 == 4:
        loss, accuracy = test(loader, model, loss_fn)
        print(f"epoch {epoch + 1}: train {last:.6f} test {loss:.6f} accuracy {100 * accuracy:.1f}%")
print(model.state_dict()["linear_relu_stack.0.weight"].shape, list(model.state_dict())[:2])
