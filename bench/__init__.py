"""The pmo-tui benchmark: a synthetic large portfolio and the app's speed and memory on it.

`python -m bench` runs it (see bench/__main__.py); `python -m bench.generate PATH` writes the
portfolio alone. Nothing here is imported by the app.
"""
