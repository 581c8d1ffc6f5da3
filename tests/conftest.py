from hypothesis import settings


# No deadline: CI machines are small and shared, and a slow example is not a bug.
settings.register_profile("default", deadline=None, max_examples=200)
settings.load_profile("default")
