from goals.models import ProgressUpdate


def site(request):
    """What every page needs to know: whether made-up demonstration data is loaded."""
    return {"sample_data_loaded": ProgressUpdate.objects.filter(is_sample=True).exists()}
