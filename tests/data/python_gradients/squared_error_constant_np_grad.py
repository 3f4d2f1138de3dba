"""Elementwise squared error."""



def squared_error(pred, target):
    return (pred - target) ** 2


def squared_error_derivative(pred, target):
    d = pred - target
    return d
