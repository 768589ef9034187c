"""The platforms' names, which creators write in English whatever their language ("para el
feed", "reels do insta", "für YouTube Shorts"): every table reads them as the English reader
knows them, so they count for the language around them and none of them is left unused."""


def platforms(of: str) -> str:
    """Table lines for the platforms' names, with the language's words for "of" between a
    format and its platform ("reels de instagram")."""
    return f"""
        tiktok, tik tok = tiktok
        reels, reel, instagram reels, insta reels, ig reels, instagram reel, insta reel = reels
        reels, reel + {of} + instagram, insta, ig = reels
        reels, reel + instagram, insta, ig = reels
        stories, story, instagram stories, insta stories, instagram story = stories
        stories, story + {of} + instagram, insta, ig = stories
        stories, story + instagram, insta, ig = stories
        shorts, youtube shorts, yt shorts = youtube shorts
        shorts + {of} + youtube, yt = youtube shorts
        instagram, insta, ig, instagram post, insta post = instagram
        feed, instagram feed, insta feed, ig feed = instagram
        feed + {of} + instagram, insta, ig = instagram
        feed + instagram, insta, ig = instagram
        youtube, yt = youtube
        snapchat = snapchat
        """
