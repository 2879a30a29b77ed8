"""JSON-RPC 2.0 over HTTP at ``POST /rpc``: the endpoint and the method modules."""
