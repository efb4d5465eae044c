from goals.sample import sample_data_loaded


def site(request):
    """What every page needs to know: whether made-up demonstration data is loaded."""
    return {"sample_data_loaded": sample_data_loaded()}
