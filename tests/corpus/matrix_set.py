"""A set of matrix derivatives with right and wrong claims, from three sources: matrixcalculus.org's documented
examples, identities of the Matrix Cookbook (Petersen and Pedersen, 2012), and derivatives ML code needs. Each right
claim is written here by hand and confirmed by `confirm` (mpmath central differences of the formula, independent of
the engine); each wrong one is a mistake people make (a missing factor, a transpose, a forgotten term).

Shapes: a letter is a size. Sizes are chosen so that every product is defined and square matrices are square.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MatrixCase:
    name: str
    source: str                      # matrixcalculus.org, Matrix Cookbook (eq.), ML
    shapes: tuple[str, ...]          # @shape lines
    definition: str
    claim: str                       # the right claim, as a statement
    wrong: tuple[str, ...]           # wrong claims (the same left-hand side)
    positive_definite: tuple[str, ...] = ()  # square matrices drawn with a positive determinant (logdet, inv)


V = "@shape x: (n,)"
A_NN = "@shape A: (n, n)"
CASES = (
    # matrixcalculus.org's nine documented examples, in our notation
    MatrixCase("half quadratic form", "matrixcalculus.org", (V, A_NN), "f(x) = 0.5*x @ A @ x",
               "∇_x f = (A + A.T) @ x/2", ("∇_x f = A @ x", "∇_x f = (A + A.T) @ x")),
    MatrixCase("matrix times exp", "matrixcalculus.org", (V, "@shape A: (m, n)"), "g(x) = A @ exp(x)",
               "J_x g = A @ diag(exp(x))", ("J_x g = diag(exp(x)) @ A.T", "J_x g = A")),
    MatrixCase("sin dot", "matrixcalculus.org", (V, "@shape y: (n,)"), "f(x) = sin(x) @ y",
               "∇_x f = cos(x)*y", ("∇_x f = -cos(x)*y", "∇_x f = sin(x)*y")),
    MatrixCase("product dot", "matrixcalculus.org", (V, "@shape y: (n,)", "@shape v: (n,)"), "f(x) = (y*v) @ x",
               "∇_x f = y*v", ("∇_x f = y", "∇_x f = y*v*x")),
    MatrixCase("power", "matrixcalculus.org", (), "f(a, b) = a**b", "∂f/∂a = b*a**(b - 1)",
               ("∂f/∂a = a**(b - 1)", "∂f/∂a = b*a**b")),
    MatrixCase("least squares norm", "matrixcalculus.org", (V, "@shape A: (m, n)", "@shape y: (m,)"),
               "f(x) = norm(A @ x - y)**2", "∇_x f = 2*A.T @ (A @ x - y)",
               ("∇_x f = A.T @ (A @ x - y)", "∇_x f = 2*(A @ x - y)")),
    MatrixCase("logistic loss", "matrixcalculus.org", ("@shape X: (m, n)", "@shape w: (n,)", "@shape y: (m,)"),
               "f(w) = sum(log(exp(-y*(X @ w)) + 1))", "∇_w f = -X.T @ (y*sigmoid(-y*(X @ w)))",
               ("∇_w f = X.T @ (y*sigmoid(-y*(X @ w)))", "∇_w f = -X.T @ (y*sigmoid(y*(X @ w)))")),
    MatrixCase("trace of five", "matrixcalculus.org",
               ("@shape X: (m, n)", "@shape A: (k, n)", "@shape B: (m, m)", "@shape C: (n, k)"),
               "f(X) = trace(A @ X.T @ B @ X @ C)", "∇_X f = B.T @ X @ A.T @ C.T + B @ X @ C @ A",
               ("∇_X f = B @ X @ C @ A", "∇_X f = 2*B @ X @ C @ A")),
    MatrixCase("log det inverse", "matrixcalculus.org", ("@shape X: (n, n)",), "f(X) = log(det(inv(X)))",
               "∇_X f = -inv(X).T", ("∇_X f = inv(X).T", "∇_X f = 0*X"), ("X",)),
    # Matrix Cookbook identities (equation numbers of the 2012 edition)
    MatrixCase("linear form", "Matrix Cookbook (69)", (V, "@shape a: (n,)"), "f(x) = x @ a", "∇_x f = a",
               ("∇_x f = x", "∇_x f = 2*a")),
    MatrixCase("bilinear form", "Matrix Cookbook (70)", ("@shape X: (m, n)", "@shape a: (m,)", "@shape b: (n,)"),
               "f(X) = a @ X @ b", "∇_X f = outer(a, b)", ("∇_X f = outer(b, a).T.T", "∇_X f = X")),
    MatrixCase("quadratic form", "Matrix Cookbook (81)", (V, A_NN), "f(x) = x @ A @ x", "∇_x f = (A + A.T) @ x",
               ("∇_x f = 2*A @ x", "∇_x f = A.T @ x")),
    MatrixCase("quadratic form Hessian", "Matrix Cookbook (81)", (V, A_NN), "f(x) = x @ A @ x", "H_x f = A + A.T",
               ("H_x f = 2*A", "H_x f = A")),
    MatrixCase("trace of a product", "Matrix Cookbook (100)", ("@shape X: (n, m)", "@shape A: (m, n)"),
               "f(X) = trace(A @ X)", "∇_X f = A.T", ("∇_X f = A.T.T.T.T", "∇_X f = X.T")),
    MatrixCase("trace of a square", "Matrix Cookbook (111)", ("@shape X: (n, n)",), "f(X) = trace(X @ X)",
               "∇_X f = 2*X.T", ("∇_X f = 2*X", "∇_X f = X.T")),
    MatrixCase("trace of X'BX", "Matrix Cookbook (108)", ("@shape X: (m, n)", "@shape B: (m, m)"),
               "f(X) = trace(X.T @ B @ X)", "∇_X f = B @ X + B.T @ X", ("∇_X f = 2*B @ X", "∇_X f = B @ X")),
    MatrixCase("log det", "Matrix Cookbook (57)", ("@shape X: (n, n)",), "f(X) = logdet(X)", "∇_X f = inv(X).T",
               ("∇_X f = inv(X)", "∇_X f = 0*X"), ("X",)),
    MatrixCase("det", "Matrix Cookbook (49)", ("@shape X: (n, n)",), "f(X) = det(X)", "∇_X f = det(X)*inv(X).T",
               ("∇_X f = det(X)*inv(X)", "∇_X f = inv(X).T"), ("X",)),
    MatrixCase("inverse quadratic", "Matrix Cookbook (61)", ("@shape X: (n, n)", "@shape a: (n,)", "@shape b: (n,)"),
               "f(X) = a @ inv(X) @ b", "∇_X f = -inv(X).T @ outer(a, b) @ inv(X).T",
               ("∇_X f = inv(X).T @ outer(a, b) @ inv(X).T", "∇_X f = -outer(a, b)"), ("X",)),
    MatrixCase("Frobenius norm", "Matrix Cookbook (121)", ("@shape X: (m, n)",), "f(X) = norm(X)**2", "∇_X f = 2*X",
               ("∇_X f = X", "∇_X f = 2*X.T.T + X")),
    MatrixCase("Euclidean norm", "Matrix Cookbook (129)", (V,), "f(x) = norm(x)", "∇_x f = x/norm(x)",
               ("∇_x f = x", "∇_x f = 2*x/norm(x)")),
    # what ML code needs
    MatrixCase("least squares", "ML", ("@shape W: (m, n)", V, "@shape y: (m,)"), "L(W) = sum((W @ x - y)**2)",
               "∇_W L = 2*outer(W @ x - y, x)", ("∇_W L = outer(W @ x - y, x)", "∇_W L = 2*outer(x, W @ x - y).T.T")),
    MatrixCase("ridge", "ML", ("@shape W: (m, n)", V, "@shape y: (m,)"),
               "L(W) = sum((W @ x - y)**2) + lam*sum(W**2)",
               "∇_W L = 2*outer(W @ x - y, x) + 2*lam*W", ("∇_W L = 2*outer(W @ x - y, x)",
                                                           "∇_W L = 2*outer(W @ x - y, x) + lam*W")),
    MatrixCase("logistic regression", "ML", ("@shape D: (m, n)", "@shape w: (n,)", "@shape y: (m,)"),
               "L(w) = sum(softplus(D @ w) - y*(D @ w))", "∇_w L = D.T @ (sigmoid(D @ w) - y)",
               ("∇_w L = D.T @ (sigmoid(D @ w) + y)", "∇_w L = D.T @ sigmoid(D @ w)")),
    MatrixCase("softmax cross-entropy", "ML", ("@shape z: (k,)", "@shape t: (k,)"), "L(z) = logsumexp(z) - t @ z",
               "∇_z L = softmax(z) - t", ("∇_z L = softmax(z)", "∇_z L = t - softmax(z)")),
    MatrixCase("softmax Jacobian", "ML", ("@shape z: (k,)",), "s(z) = softmax(z)",
               "J_z s = diag(softmax(z)) - outer(softmax(z), softmax(z))",
               ("J_z s = diag(softmax(z))", "J_z s = diag(softmax(z)) - outer(softmax(z), z)")),
    MatrixCase("two-layer MLP, first layer", "ML",
               ("@shape W1: (h, n)", "@shape w2: (h,)", V), "L(W1) = w2 @ tanh(W1 @ x)",
               "∇_W1 L = outer(w2*(1 - tanh(W1 @ x)**2), x)",
               ("∇_W1 L = outer(w2*tanh(W1 @ x), x)", "∇_W1 L = outer(w2, x)")),
    MatrixCase("dense layer Jacobian", "ML", ("@shape W: (m, n)", V), "f(x) = tanh(W @ x)",
               "J_x f = diag(1 - tanh(W @ x)**2) @ W", ("J_x f = W", "J_x f = diag(tanh(W @ x)) @ W")),
    MatrixCase("attention in Q", "ML", ("@shape Q: (s, d)", "@shape K: (s, d)", "@shape V: (s, d)"),
               "L(Q) = sum(softmax(Q @ K.T/sqrt(d), 1) @ V)",
               "∇_Q L = (softmax(Q @ K.T/sqrt(d), 1)*sum(V, 1) - (softmax(Q @ K.T/sqrt(d), 1).T"
               "*(softmax(Q @ K.T/sqrt(d), 1) @ sum(V, 1))).T) @ K/sqrt(d)",
               ("∇_Q L = softmax(Q @ K.T/sqrt(d), 1) @ K/sqrt(d)",
                "∇_Q L = (softmax(Q @ K.T/sqrt(d), 1)*sum(V, 1)) @ K/sqrt(d)")),
    # layer norm's backward (g - mean(g) - y*mean(g*y))/sd with g = y, whose mean is 0: the middle term drops
    MatrixCase("layer norm", "ML", (V,), "L(x) = sum(((x - mean(x))/sqrt(mean((x - mean(x))**2) + 1))**2)/2",
               "∇_x L = ((x - mean(x))/sqrt(mean((x - mean(x))**2) + 1)"
               " - (x - mean(x))/sqrt(mean((x - mean(x))**2) + 1)"
               "*mean(((x - mean(x))/sqrt(mean((x - mean(x))**2) + 1))**2))/sqrt(mean((x - mean(x))**2) + 1)",
               ("∇_x L = (x - mean(x))/sqrt(mean((x - mean(x))**2) + 1)", "∇_x L = x - mean(x)")),
    MatrixCase("logistic Hessian", "ML", ("@shape D: (m, n)", "@shape w: (n,)"), "L(w) = sum(softplus(D @ w))",
               "H_w L = D.T @ diag(sigmoid(D @ w)*(1 - sigmoid(D @ w))) @ D",
               ("H_w L = D.T @ D", "H_w L = D.T @ diag(sigmoid(D @ w)) @ D")),
)
