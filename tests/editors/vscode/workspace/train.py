"""Train a logistic unit with a GELU feature; neurogebra gives the formulas and their gradients."""
import numpy as np

from neurogebra import Expression, MathForge

forge = MathForge()
act = forge.get("gelu")
act_grad = act.gradient("x")

# binary cross-entropy of a prediction p for a label t
# neurogebra: domain p in (0, 1)
loss = Expression("bce", "-(t*log(p) + (1 - t)*log(1 - p))")
loss_grad = loss.gradient("p")

f = Expression("quadratic", "x**2 + 3*x + 2")
slope = f.gradient("x")
print(slope.eval(x=0))

rng = np.random.default_rng(0)
w, lr = 0.1, 0.05
for step in range(200):
    x, t = rng.normal(), float(rng.random() < 0.5)
    p = 1 / (1 + np.exp(-w * act.eval(x=x)))
    w -= lr * loss_grad.eval(p=p, t=t) * p * (1 - p) * act.eval(x=x)
