"""A learner's first layer written by hand: outputs filled in place in a loop, the graph's
nodes printed as torch names them, then the same layer with nn and its loss printed."""

import torch

w = torch.tensor([[0.5, -1.0, 0.25], [1.5, 0.75, -0.5]], requires_grad=True)
b = torch.tensor([0.1, -0.2], requires_grad=True)
x = torch.tensor([1.0, 2.0, -1.0])

out = torch.zeros(2)
for i in range(2):
    for j in range(3):
        out[i] += w[i, j] * x[j]
    out[i] = out[i] + b[i]
print(out)
h = out.tanh()
print(h)
print(h.grad_fn.name(), "next:", [n.name() for n, _ in h.grad_fn.next_functions])
loss = ((h - torch.tensor([0.5, -0.5])) ** 2).mean()
print(loss)
loss.backward()
print(w.grad)
print(b.grad)

layer = torch.nn.Linear(3, 2)
with torch.no_grad():
    layer.weight.copy_(w)
    layer.bias.copy_(b)
y = layer(x.unsqueeze(0))
print(y)
loss = torch.nn.functional.mse_loss(y.tanh(), torch.tensor([[0.5, -0.5]]))
print(loss)
loss.backward()
print(layer.weight.grad)
print(torch.allclose(layer.weight.grad, w.grad))

rows = torch.zeros(3, 2)
rows[1:] += torch.ones(2, 2) * b
rows[:, 0] *= 2
print(rows)
print(rows.sum().grad_fn.name(), rows._version)
