"""Verified shopper identity: customer tokens signed by the merchant's server.

``tokens`` (pure) signs and verifies tokens; ``secrets`` (pure) holds the rules of a
merchant's identity secrets (create, rotate, revoke) and how each secret is derived;
``verifier`` turns a token of a render or consent call into a verified customer ref.
"""
