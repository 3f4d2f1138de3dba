"""JAX custom rules: a custom_vjp's defvjp(fwd, bwd) and a custom_jvp's defjvp, checked from the source.
safe_log's backward has a deliberate mistake: the derivative of log(x + eps) is 1/(x + eps), not 1/x**2."""
import jax
import jax.numpy as jnp

EPS = 1e-6


@jax.custom_vjp
def safe_log(x):
    return jnp.log(x + EPS)


def safe_log_fwd(x):
    return safe_log(x), (x,)


def safe_log_bwd(res, g):
    x, = res
    return (g / x ** 2,)  # wrong


safe_log.defvjp(safe_log_fwd, safe_log_bwd)


@jax.custom_jvp
def softplus(x):
    return jnp.logaddexp(0.0, x)


@softplus.defjvp
def softplus_jvp(primals, tangents):
    x, = primals
    x_dot, = tangents
    return softplus(x), jax.nn.sigmoid(x) * x_dot
