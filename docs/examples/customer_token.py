"""Sign a customer token on your server (Python 3.9+, PyJWT: pip install pyjwt).

Command line: ONSITE_IDENTITY_SECRET=osi_... python customer_token.py CLIENT_ID CUSTOMER_REF
"""

import os
import sys
import time

import jwt


def customer_token(secret: str, client_id: str, customer_ref: str, ttl_seconds: int = 3600) -> str:
    """A token that lets the widget personalize for this signed-in shopper for ``ttl_seconds``."""
    now = int(time.time())
    claims = {"sub": customer_ref, "aud": client_id, "iat": now, "exp": now + ttl_seconds}
    return jwt.encode(claims, secret, algorithm="HS256")


if __name__ == "__main__":
    print(customer_token(os.environ["ONSITE_IDENTITY_SECRET"], sys.argv[1], sys.argv[2]))
