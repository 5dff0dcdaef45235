"""`conduit demo`: the simulated provider, the proxy and synthetic agent traffic from a small team, so a newcomer
sees Conduit work with no API key. Everything stays on loopback; the traffic only ever reaches the in-process sim.
"""
