"""The use cases: what a person asks of a plan, independent of the command line (docs: README, « Pour les développeurs »).

Between ``views`` and ``cli``: a command parses its options, calls one use case, hands the result to one view.
"""
