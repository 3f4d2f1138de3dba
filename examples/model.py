"""Formulas in Python code: hover them in the editor, see derivatives and values inline."""
import numpy as np

from neurogebra import Expression, MathForge

f = Expression("quadratic", "x**2 + 3*x + 2")
f_prime = f.gradient("x")
print(f_prime.eval(x=0))  # the editor shows = 3 next to this call

forge = MathForge()
relu = forge.get("relu")
sigmoid = forge.get("sigmoid")
loss = forge.compose("mse + 0.1*mae")

# A hand-written sigmoid derivative: the editor warns that it is NaN for x <= -710.
sigmoid_grad = Expression("sigmoid_grad", "exp(-x)/(1 + exp(-x))**2")

multi = Expression("multi", "x**2*y + x*y**2")
df_dx = multi.gradient("x")
print(df_dx.eval(x=1, y=2))

xs = np.linspace(-5, 5, 11)
print(sigmoid.eval(x=xs))
