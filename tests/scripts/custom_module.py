"""A custom nn.Module with four Parameters, trained with SGD; then dynamic control flow."""

import math

import torch


class Polynomial3(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.a = torch.nn.Parameter(torch.tensor(0.1, dtype=torch.float64))
        self.b = torch.nn.Parameter(torch.tensor(0.2, dtype=torch.float64))
        self.c = torch.nn.Parameter(torch.tensor(-0.1, dtype=torch.float64))
        self.d = torch.nn.Parameter(torch.tensor(0.05, dtype=torch.float64))

    def forward(self, x):
        return self.a + self.b * x + self.c * x**2 + self.d * x**3

    def string(self):
        return (
            f"y = {self.a.item():.5f} + {self.b.item():.5f} x + {self.c.item():.5f} x^2"
            f" + {self.d.item():.5f} x^3"
        )


class DynamicNet(Polynomial3):
    def __init__(self):
        super().__init__()
        self.e = torch.nn.Parameter(torch.tensor(0.0, dtype=torch.float64))

    def forward(self, x, extra=2):
        y = self.a + self.b * x + self.c * x**2 + self.d * x**3
        for exp in range(4, 4 + extra):
            y = y + self.e * x**exp
        return y


x = torch.linspace(-math.pi, math.pi, 2000, dtype=torch.float64)
y = torch.sin(x)

model = Polynomial3()
print([name for name, _ in model.named_parameters()])
criterion = torch.nn.MSELoss(reduction="sum")
optimizer = torch.optim.SGD(model.parameters(), lr=1e-6)
for t in range(1000):
    loss = criterion(model(x), y)
    if t % 250 == 249:
        print(t, f"{loss.item():.6f}")
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
print(f"Result: {model.string()}")

net = DynamicNet()
optimizer = torch.optim.SGD(net.parameters(), lr=1e-8, momentum=0.9)
for t in range(300):
    loss = criterion(net(x, extra=t % 3), y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
print(f"{loss.item():.6f}", f"{net.e.item():.8f}")
print(net)
