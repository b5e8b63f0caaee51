"""For testers and the demo: the in-process fake, recording and replaying exchanges, anonymising them."""
