"""budget: participatory budgeting for French intercommunalités."""


def create_app(*args, **kwargs):
    from budget.app import create_app as factory

    return factory(*args, **kwargs)
