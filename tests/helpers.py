"""Small helpers the tests share."""


def text_of(response):
    """A page's text, once it is sure the page answered 200: a check that something is absent
    from an error page would pass for the wrong reason."""
    assert response.status_code == 200, (response.status_code, response.get("Location"))
    return response.text
