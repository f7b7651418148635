print("sopsite")
