"""The fit as a network: a Linear layer on the powers of x, nn.MSELoss, then RMSprop."""

import math

import torch

x = torch.linspace(-math.pi, math.pi, 2000, dtype=torch.float64)
y = torch.sin(x)

p = torch.tensor([1, 2, 3])
xx = x.unsqueeze(-1).pow(p)
print(xx.shape, xx.dtype)

model = torch.nn.Sequential(torch.nn.Linear(3, 1), torch.nn.Flatten(0, 1)).double()
print(model)
with torch.no_grad():
    model[0].weight.copy_(torch.tensor([[0.5, -0.1, 0.02]]))
    model[0].bias.fill_(0.1)

loss_fn = torch.nn.MSELoss(reduction="sum")
learning_rate = 1e-6
for t in range(500):
    y_pred = model(xx)
    loss = loss_fn(y_pred, y)
    if t % 100 == 99:
        print(t, f"{loss.item():.6f}")
    model.zero_grad()
    loss.backward()
    with torch.no_grad():
        for param in model.parameters():
            param -= learning_rate * param.grad

linear_layer = model[0]
print(
    f"Result: y = {linear_layer.bias.item():.6f} + {linear_layer.weight[:, 0].item():.6f} x"
    f" + {linear_layer.weight[:, 1].item():.6f} x^2 + {linear_layer.weight[:, 2].item():.6f} x^3"
)

optimizer = torch.optim.RMSprop(model.parameters(), lr=1e-4)
for t in range(100):
    loss = loss_fn(model(xx), y)
    if t % 25 == 24:
        print(t, f"{loss.item():.6f}")
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
print([f"{v:.4f}" for v in model[0].weight.detach().flatten().tolist()])
print(optimizer.state_dict()["param_groups"][0]["lr"], len(optimizer.state_dict()["state"]))
