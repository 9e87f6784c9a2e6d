"""The optional compiled loops (bot/_kernels.c): built when a C compiler is there; without
one the install goes on and Footnote uses the numpy code they replace (bot/kernels.py)."""

from setuptools import Extension, setup

setup(ext_modules=[Extension(
    "bot._kernels", ["bot/_kernels.c"], optional=True,
    # Floats rounded as numpy rounds them: no fused multiply-add.
    extra_compile_args=["-O2", "-ffp-contract=off"])])
