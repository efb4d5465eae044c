from goals.models import ProgressUpdate
from tracker.cache import derived_from_data


def site(request):
    """What every page needs to know: whether made-up demonstration data is loaded."""
    return {
        "sample_data_loaded": derived_from_data(
            "sample-data-loaded", ProgressUpdate.objects.filter(is_sample=True).exists
        )
    }
