"""The command line, the demo and the loopback origin."""
