"""The screens that follow the method's questions, one module each: personas, stages, pains,
processes, solutions, departments and the parking lot; what they share is in :mod:`.shared`."""
