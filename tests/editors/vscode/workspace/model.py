from neurogebra import Expression

f = Expression("quadratic", "x**2 + 3*x + 2")
slope = f.gradient("x")
print(slope.eval(x=0))
