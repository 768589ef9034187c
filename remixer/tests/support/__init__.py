"""What the tests share besides fixtures: stand-ins, files and the steps many tests take.

The helpers here assert as tests do; remixer/tests/__init__.py has pytest rewrite their
asserts, so a failing one shows its values as it did when it stood in a test module."""
