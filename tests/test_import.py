"""`deckgen import`: schedules in each format into a deck that builds at once, and keeps the author's edits."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from helpers import PageInspector
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import deckgen
from deckgen.cli import main

SCHEDULES = Path(__file__).resolve().parent / "fixtures" / "schedules"


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    code = main([str(arg) for arg in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def talks_by_title(deck: Path) -> dict[str, deckgen.Talk]:
    return {talk.title: talk for talk in deckgen.load_deck(deck).talks}


def build_cleanly(deck: Path, capsys: pytest.CaptureFixture[str]) -> PageInspector:
    """Build the deck as a user would: exit 0, not one warning; return the built page."""
    code, out, err = run(capsys, "build", deck, "--strict")
    assert (code, err) == (0, ""), err
    assert out.startswith("built ")
    return PageInspector((deck / "_site" / "index.html").read_text(encoding="utf-8"))


def read_events(path: Path, text: str) -> tuple[deckgen.ScheduleEvent, ...]:
    """The events of a schedule written to `path` as `text` (UTF-8)."""
    path.write_text(text, encoding="utf-8")
    return deckgen.read_schedule(path).events


# --- each format -----------------------------------------------------------------------------------

LISTED = {
    "frab.xml": [
        ("103", "Security", "Supply chain: what's next?", "Łukasz Żółw, Amélie Poulain, 陈伟", "video"),
        ("101", "Containers", "Kubernetes - The Hard Way, Again", "Zoë Ångström, Bob Builder", "video"),
        ("102", "Containers", "Rootless containers & you", "José Núñez", "no video"),
        ("104", "Security", '- "Quoted", colons: yes & a #hash', "Pat O'Brien", "no video"),
        ("106", "Security", "Kubernetes security", "Ana Müller", "no video"),
        ("105", "Talks", "Closing ExampleConf", "The Organisers", "video"),
    ],
    "schedule.json": [
        ("25", "Observability", "Scaling Prometheus - lessons from 10,000 targets", "Brian Ó Dálaigh, Jordan Parks", "no video"),
        ("26", "Observability", "Tracing without tears", "Kimberly Griffin", "no video"),
        ("33", "Community & Culture", "Maintainers are people too", "Mariah Estrada, Maria Williams", "no video"),
    ],
    "schedule2.json": [
        ("OPENIN", "CCC", "42C3: Opening Ceremony", "Gabriela Bogk", "no video"),
        ("TPGRNN", "Hardware & Making", "A Competitive Time-Trial AI:", "Sebastian Schwarz, Dörte Äbel", "no video"),
    ],
    "sched.ics": [
        ("8f2b4a6e0c1d4e5f8a9b0c1d2e3f4a5b", "KEYNOTE SESSIONS", "Keynote: Opening Remarks", "Dana Köhn", "no video"),
        (
            "3c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f",
            "Service Mesh",
            "Service Mesh - The Good, The Bad - and The Ugly",
            "Ana Ruiz, Li Na, Sam Sørensen",
            "no video",
        ),
        ("4c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f", "STORAGE", "Storage: State of the Union", "Renée Dubois", "no video"),
    ],
    "pretalx.ics": [
        (
            "pretalx-democon-G9JGWY@pretalx.example.org",
            "Talks",
            "Scaling Prometheus - lessons from 10,000 targets",
            "Brian Ó Dálaigh, Jordan Parks",
            "no video",
        ),
        ("pretalx-democon-LIGHTN@pretalx.example.org", "Talks", "Lightning talks", "", "no video"),
    ],
    "sessionize.json": [
        ("512001", "Keynotes", "Keynote: Building Communities That Last", "Siobhán Nic Gearailt", "video"),
        ("512003", "Linux & Kernel", "eBPF for the Rest of Us - A Gentle Introduction", "Kenji Watanabe, Maëlle Durand", "no video"),
    ],
}


@pytest.mark.parametrize("name", sorted(LISTED))
def test_list_prints_every_event_one_a_line_in_schedule_order(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "import", SCHEDULES / name, "--list")
    assert (code, err) == (0, "")
    assert [tuple(line.split("\t")) for line in out.splitlines()] == LISTED[name]


FORMAT_NAMES = {"frab.xml": "frab-xml", "schedule.json": "schedule-json", "schedule2.json": "schedule-json", "sched.ics": "ical"}


@pytest.mark.parametrize("name", sorted(FORMAT_NAMES))
def test_the_format_is_found_from_the_content_whatever_the_file_is_called(name: str, tmp_path: Path) -> None:
    renamed = tmp_path / "download"
    renamed.write_bytes((SCHEDULES / name).read_bytes())
    assert deckgen.read_schedule(renamed).format == FORMAT_NAMES[name]
    assert deckgen.read_schedule(renamed, format=FORMAT_NAMES[name]).events == deckgen.read_schedule(SCHEDULES / name).events


IMPORTS = {
    # schedule, its picks, then each imported talk: title, speakers, track, video
    "frab.xml": (
        ["--pick", "hard way", "--pick", "103", "--track", "talks"],
        [
            (
                "Supply chain: what's next?",
                ("Łukasz Żółw", "Amélie Poulain", "陈伟"),
                "Security",
                "https://video.example.org/2026/k1105/exampleconf-2026-103.mp4",
            ),
            (
                "Kubernetes - The Hard Way, Again",
                ("Zoë Ångström", "Bob Builder"),
                "Containers",
                "https://video.example.org/2026/h1302/exampleconf-2026-101.av1.mp4",
            ),
            ("Closing ExampleConf", ("The Organisers",), "Talks", "https://video.example.org/2026/janson/exampleconf-2026-105.mp4"),
        ],
    ),
    "schedule.json": (
        ["--track", "Observability"],
        [
            ("Scaling Prometheus - lessons from 10,000 targets", ("Brian Ó Dálaigh", "Jordan Parks"), "Observability", None),
            ("Tracing without tears", ("Kimberly Griffin",), "Observability", None),
        ],
    ),
    "schedule2.json": (
        ["--pick", "TPGRNN", "--pick", "opening"],
        [
            ("42C3: Opening Ceremony", ("Gabriela Bogk",), "CCC", None),
            ("A Competitive Time-Trial AI:", ("Sebastian Schwarz", "Dörte Äbel"), "Hardware & Making", None),
        ],
    ),
    "sched.ics": (
        ["--pick", "service mesh", "--pick", "keynote"],
        [
            ("Keynote: Opening Remarks", ("Dana Köhn",), "KEYNOTE SESSIONS", None),
            ("Service Mesh - The Good, The Bad - and The Ugly", ("Ana Ruiz", "Li Na", "Sam Sørensen"), "Service Mesh", None),
        ],
    ),
    "pretalx.ics": (
        ["--pick", "prometheus"],
        [("Scaling Prometheus - lessons from 10,000 targets", ("Brian Ó Dálaigh", "Jordan Parks"), "Talks", None)],
    ),
    "sessionize.json": (
        ["--track", "keynotes", "--track", "LINUX & KERNEL"],
        [
            (
                "Keynote: Building Communities That Last",
                ("Siobhán Nic Gearailt",),
                "Keynotes",
                "https://video.example.com/watch/keynote-communities",
            ),
            ("eBPF for the Rest of Us - A Gentle Introduction", ("Kenji Watanabe", "Maëlle Durand"), "Linux & Kernel", None),
        ],
    ),
}


@pytest.mark.parametrize("name", sorted(IMPORTS))
def test_import_from_each_format_gives_a_deck_that_builds_with_no_warnings(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    picks, expected = IMPORTS[name]
    deck = tmp_path / "recap"
    code, out, err = run(capsys, "import", SCHEDULES / name, "--into", deck, *picks)
    assert (code, err) == (0, ""), err
    loaded = deckgen.load_deck(deck)
    assert [(t.title, t.speakers, t.track, t.video) for t in loaded.talks] == expected
    assert [t.name for t in loaded.tracks] == list(dict.fromkeys(track for _, _, track, _ in expected))
    assert len([line for line in out.splitlines() if line.startswith("wrote ")]) == len(expected)
    page = build_cleanly(deck, capsys)
    assert page.kinds().count("talk") == len(expected)
    assert {video for *_, video in expected if video} <= set(page.qr_links)


def test_summary_line_counts_talks_tracks_and_videos_with_plurals(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "import", SCHEDULES / "frab.xml", "--into", tmp_path / "one", "--pick", "102")
    assert code == 0
    assert out.splitlines()[-1] == (
        f"imported 1 talk in 1 track into {tmp_path / 'one'}: 0 videos from the schedule, 0 matched in the playlist, 1 without video"
    )
    code, out, _ = run(capsys, "import", SCHEDULES / "frab.xml", "--into", tmp_path / "all", "--track", "security", "--track", "containers")
    assert out.splitlines()[-1] == (
        f"imported 5 talks in 2 tracks into {tmp_path / 'all'}: 2 videos from the schedule, 0 matched in the playlist, 3 without video"
    )
    assert out.splitlines()[0] == f"wrote {tmp_path / 'all' / 'slides' / '10-security' / '10-supply-chain-what-s-next.md'}"


def test_a_new_deck_is_made_as_deckgen_new_makes_one_without_the_example_talk(tmp_path: Path) -> None:
    result = deckgen.import_schedule(SCHEDULES / "frab.xml", tmp_path / "recap", picks=["102"])
    assert result.created
    files = sorted(p.relative_to(tmp_path / "recap").as_posix() for p in (tmp_path / "recap").rglob("*") if p.is_file())
    assert files == ["deck.schema.json", "deck.yaml", "slides/00-intro.md", "slides/10-containers/10-rootless-containers-you.md"]
    deck_yaml = (tmp_path / "recap" / "deck.yaml").read_text(encoding="utf-8")
    assert 'title: "ExampleConf 2026"' in deck_yaml and "# The deck's title (required)" in deck_yaml
    assert yaml.safe_load(deck_yaml)["tracks"] == [{"name": "Containers"}]


def test_a_deck_the_import_makes_speaks_the_language_asked_for(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "import", SCHEDULES / "frab.xml", "--into", tmp_path / "recap", "--pick", "102", "--lang", "es")
    assert code == 0, err
    deck_yaml = (tmp_path / "recap" / "deck.yaml").read_text(encoding="utf-8")
    assert yaml.safe_load(deck_yaml)["lang"] == "es"
    assert "# The deck's title (required)" not in deck_yaml  # the scaffold's comments are Spanish
    assert deckgen.check(tmp_path / "recap", strict=True) == ()


# --- what a talk file holds ------------------------------------------------------------------------


def test_frab_recordings_become_the_video_and_noise_links_are_dropped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    deck = tmp_path / "recap"
    deckgen.import_schedule(SCHEDULES / "frab.xml", deck, picks=["101"])
    (talk,) = deckgen.load_deck(deck).talks
    assert talk.video == "https://video.example.org/2026/h1302/exampleconf-2026-101.av1.mp4"  # MP4 over WebM
    assert [(link.title, link.url) for link in talk.links] == [
        ("Project repository", "https://example.org/projects/hardway"),
        ("Slides", "https://example.org/2026/media/slides-101.pdf"),  # a relative attachment, against base_url
    ]
    notes = talk.slides[0].notes
    assert "Ten years on, we set up a cluster by hand once more." in notes
    assert "Schedule: https://example.org/2026/schedule/event/101/" in notes
    page = build_cleanly(deck, capsys)
    html = (deck / "_site" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html and "alert(1)" not in html  # the abstract's script is dropped, not run
    assert 'href="evil.png"' not in html  # Markdown in a schedule is text, never a link
    assert page.kinds().count("talk") == 1


def test_schedule_text_cannot_break_a_slide_or_the_front_matter(tmp_path: Path) -> None:
    deck = tmp_path / "recap"
    deckgen.import_schedule(SCHEDULES / "frab.xml", deck, picks=["101", "104"])
    talks = talks_by_title(deck)
    hard_way = talks["Kubernetes - The Hard Way, Again"]
    assert len(hard_way.slides) == 1  # the abstract's `---` and `Note:` lines stay notes
    assert "Note: bring a laptop" in hard_way.slides[0].notes.replace("\\", "")
    assert '- "Quoted", colons: yes & a #hash' in talks


@pytest.mark.parametrize(
    "title",
    [
        'Say "hi": #1 {{ x }}',
        "- leading dash",
        "yes",
        "null",
        "Ünïcødé ✓ 🎉",
        "key: value",
        "[not, a, list]",
        "&anchor *alias",
        "--",
        "'single'",
    ],
)
def test_any_title_round_trips_through_the_talk_file(title: str, tmp_path: Path) -> None:
    from deckgen.importers.event import Schedule, ScheduleEvent

    event = ScheduleEvent("1", title, (f"{title} speaker", "Second"), f"Track {title}", None, abstract=title, url=None)
    deckgen.import_schedule(Schedule("mem", "frab-xml", None, (event,)), tmp_path / "recap", picks=["1"])
    (talk,) = deckgen.load_deck(tmp_path / "recap").talks
    assert (talk.title, talk.speakers, talk.track) == (title, (f"{title} speaker", "Second"), f"Track {title}")
    assert all(path.name.isascii() for path in (tmp_path / "recap" / "slides").rglob("*.md"))


# --- playlists -------------------------------------------------------------------------------------


def test_playlist_videos_are_matched_by_title_without_guessing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    deck = tmp_path / "recap"
    code, out, _ = run(
        capsys, "import", SCHEDULES / "schedule.json", "--into", deck, "--track", "observability", "--pick", "maintainers",
        "--videos", SCHEDULES / "playlist.json",
    )  # fmt: skip
    assert code == 0
    talks = talks_by_title(deck)
    # `Title - Speakers, Company`, case and accents aside; a near miss ("… Storage - … 100 Clusters") is not taken
    assert talks["Scaling Prometheus - lessons from 10,000 targets"].video == "https://www.youtube.com/watch?v=aaaaaaaaaa1"
    # the entry's url is a bare id: the page is built from it as yt-dlp writes YouTube pages
    assert talks["Maintainers are people too"].video == "https://www.youtube.com/watch?v=aaaaaaaaaa5"
    # two parts equally close: no video, and the report names both
    assert talks["Tracing without tears"].video is None
    note = next(line for line in out.splitlines() if line.startswith("no video for 'Tracing without tears'"))
    assert "(Part 1)" in note and "(Part 2)" in note
    assert out.splitlines()[-1].endswith("0 videos from the schedule, 2 matched in the playlist, 1 without video")
    build_cleanly(deck, capsys)


def test_a_recording_below_the_threshold_is_not_taken_and_the_nearest_are_named(tmp_path: Path) -> None:
    playlist = tmp_path / "playlist.json"
    playlist.write_text(
        '{"entries": [{"id": "bbbbbbbbbb1", "url": "https://www.youtube.com/watch?v=bbbbbbbbbb1",'
        ' "title": "Tracing with tears - Kim Griffiths"},'
        ' {"id": "bbbbbbbbbb2", "url": "https://www.youtube.com/watch?v=bbbbbbbbbb2", "title": "[Private video]"}]}',
        encoding="utf-8",
    )
    result = deckgen.import_schedule(SCHEDULES / "schedule.json", tmp_path / "recap", picks=["tracing"], videos=playlist)
    assert result.talks[0].video is None
    (note,) = result.notes
    assert note.startswith("no video for 'Tracing without tears': no recording is close enough; the nearest: 'Tracing with tears")
    assert "Private" not in note


def test_a_recording_in_the_schedule_wins_over_the_playlist(tmp_path: Path) -> None:
    playlist = tmp_path / "playlist.json"
    playlist.write_text(
        '{"entries": [{"id": "ccccccccccc", "url": "https://www.youtube.com/watch?v=ccccccccccc",'
        ' "title": "Supply chain: what\'s next? - Łukasz Żółw"}]}',
        encoding="utf-8",
    )
    result = deckgen.import_schedule(SCHEDULES / "frab.xml", tmp_path / "recap", picks=["103"], videos=playlist)
    (talk,) = result.talks
    assert (talk.video, talk.video_source) == ("https://video.example.org/2026/k1105/exampleconf-2026-103.mp4", "schedule")


def test_yt_dlp_json_lines_are_read_too(tmp_path: Path) -> None:
    from deckgen.importers.playlist import read_playlist

    lines = tmp_path / "playlist.jsonl"
    lines.write_text(
        '{"_type": "url", "ie_key": "Youtube", "id": "ddddddddddd", "url": "ddddddddddd", "title": "One"}\n'
        '{"_type": "url", "ie_key": "Youtube", "id": "eeeeeeeeeee", "url": "https://www.youtube.com/watch?v=eeeeeeeeeee",'
        ' "title": "[Deleted video]"}\n',
        encoding="utf-8",
    )
    assert [(e.title, e.url) for e in read_playlist(lines)] == [("One", "https://www.youtube.com/watch?v=ddddddddddd")]


# --- a second import -------------------------------------------------------------------------------


def test_a_second_import_keeps_the_authors_edits(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    deck = tmp_path / "recap"
    deckgen.import_schedule(SCHEDULES / "frab.xml", deck, tracks=["security"])
    talk_file = deck / "slides" / "10-security" / "30-kubernetes-security.md"
    edited = talk_file.read_text(encoding="utf-8").replace("## Kubernetes security", "## What we learned\n\n- a lot")
    edited = edited.replace('title: "Kubernetes security"', '# the author was here\ntitle: "K8s security, edited"\nclass: small')
    talk_file.write_text(edited, encoding="utf-8")
    deck_yaml = (deck / "deck.yaml").read_text(encoding="utf-8")

    code, out, _ = run(capsys, "import", SCHEDULES / "frab.xml", "--into", deck, "--track", "security")
    assert code == 0
    assert talk_file.read_text(encoding="utf-8") == edited
    assert (deck / "deck.yaml").read_text(encoding="utf-8") == deck_yaml
    assert f"already there: {talk_file} (kept as it is; --update refreshes its front-matter)" in out.splitlines()
    assert out.splitlines()[-1].endswith("; 3 already there (--update refreshes their front-matter)")

    code, out, _ = run(capsys, "import", SCHEDULES / "frab.xml", "--into", deck, "--pick", "kubernetes security", "--update")
    assert code == 0 and f"updated {talk_file} (front-matter)" in out
    refreshed = talk_file.read_text(encoding="utf-8")
    assert refreshed == edited.replace('title: "K8s security, edited"', 'title: "Kubernetes security"')
    build_cleanly(deck, capsys)


def test_update_keeps_line_ends_other_keys_and_adds_missing_links(tmp_path: Path) -> None:
    deck = tmp_path / "recap"
    deckgen.import_schedule(SCHEDULES / "frab.xml", deck, picks=["101"])
    talk_file = next((deck / "slides").rglob("*hard-way*.md"))
    text = talk_file.read_text(encoding="utf-8")
    start, end = text.index("video:"), text.index("---\n## ")
    mine = "links:\n  - https://example.com/my-own-notes  # mine\nvideo: https://example.com/my-cut\n"
    talk_file.write_bytes(("\ufeff" + text[:start] + mine + text[end:]).replace("\n", "\r\n").encode("utf-8"))
    result = deckgen.import_schedule(SCHEDULES / "frab.xml", deck, picks=["101"], update=True)
    assert result.talks[0].status == "updated"
    raw = talk_file.read_bytes().decode("utf-8")
    assert raw.startswith("\ufeff---\r\n") and "\n" not in raw.replace("\r\n", "")
    (talk,) = deckgen.load_deck(deck).talks
    assert talk.video == "https://video.example.org/2026/h1302/exampleconf-2026-101.av1.mp4"
    assert [link.url for link in talk.links] == [
        "https://example.com/my-own-notes",
        "https://example.org/projects/hardway",
        "https://example.org/2026/media/slides-101.pdf",
    ]
    assert "  - https://example.com/my-own-notes  # mine\r\n" in raw
    again = deckgen.import_schedule(SCHEDULES / "frab.xml", deck, picks=["101"], update=True)
    assert again.talks[0].status == "unchanged" and talk_file.read_bytes().decode("utf-8") == raw


def test_update_leaves_a_talk_file_with_an_unreadable_value_as_it_is(tmp_path: Path) -> None:
    """A value its YAML tag cannot be (`seen: !!bool perhaps`) is for check to place: --update keeps the file, and goes on."""
    deck = tmp_path / "recap"
    deckgen.import_schedule(SCHEDULES / "frab.xml", deck, picks=["101"])
    talk_file = next((deck / "slides").rglob("*hard-way*.md"))
    text = talk_file.read_text(encoding="utf-8").replace("---\n", "---\nseen: !!bool perhaps\n", 1)
    talk_file.write_text(text, encoding="utf-8")
    result = deckgen.import_schedule(SCHEDULES / "frab.xml", deck, picks=["101"], update=True)
    assert result.talks[0].status != "updated" and talk_file.read_text(encoding="utf-8") == text
    [problem] = [p for p in deckgen.check(deck) if p.is_error]
    assert (problem.line, problem.code) == (2, "yaml-syntax") and "'perhaps' is not a valid bool" in problem.message


# --- deck.yaml ------------------------------------------------------------------------------------

DECK_YAML = """\
# Our recap
title: "Meetup recap"   # shown first
tracks:
  - name: keynotes
    title: "Keynotes"
  # security goes last
  - name: security
    title: "Security"

# The links
links: []
"""


def test_tracks_are_appended_in_schedule_order_keeping_comments_and_order(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    deck = tmp_path / "recap"
    (deck / "slides").mkdir(parents=True)
    (deck / "deck.yaml").write_text(DECK_YAML, encoding="utf-8")
    (deck / "slides" / "00-intro.md").write_text("# Hello\n", encoding="utf-8")
    result = deckgen.import_schedule(SCHEDULES / "frab.xml", deck, picks=["103", "101", "105"])
    assert result.tracks_added == ("Containers", "Talks")  # Security is the deck's own track (by title)
    assert (deck / "deck.yaml").read_text(encoding="utf-8") == DECK_YAML.replace(
        '    title: "Security"\n', '    title: "Security"\n  - name: "Containers"\n  - name: "Talks"\n'
    )
    talks = talks_by_title(deck)
    assert talks["Supply chain: what's next?"].track == "security"
    build_cleanly(deck, capsys)


@pytest.mark.parametrize(
    ("tracks", "expected"),
    [
        ("tracks: [keynotes]\n", 'tracks: [keynotes, "Containers"]\n'),
        ("tracks: []\n", 'tracks: [{name: "Containers"}]\n'),
        ("tracks:\n", 'tracks:\n  - name: "Containers"\n'),
        ("", 'tracks:\n  - name: "Containers"\n'),
        ("tracks:\n- keynotes\n", 'tracks:\n- keynotes\n- "Containers"\n'),
    ],
)
def test_tracks_are_added_to_any_form_of_list(tracks: str, expected: str, tmp_path: Path) -> None:
    deck = tmp_path / "recap"
    (deck / "slides").mkdir(parents=True)
    (deck / "deck.yaml").write_text(f"title: T\n{tracks}closing: Bye\n", encoding="utf-8")
    deckgen.import_schedule(SCHEDULES / "frab.xml", deck, picks=["102"])
    text = (deck / "deck.yaml").read_text(encoding="utf-8")
    if tracks:
        assert text == f"title: T\n{expected}closing: Bye\n"
    else:
        assert text == f"title: T\nclosing: Bye\n{expected}"
    assert deckgen.check(deck, strict=True) == ()


def test_a_slides_list_gets_the_new_track_folders(tmp_path: Path) -> None:
    deck = tmp_path / "recap"
    (deck / "slides").mkdir(parents=True)
    (deck / "slides" / "00-intro.md").write_text("# Hello\n", encoding="utf-8")
    (deck / "deck.yaml").write_text("title: T\nslides:\n  - 00-intro.md\n", encoding="utf-8")
    deckgen.import_schedule(SCHEDULES / "frab.xml", deck, picks=["102", "103"])
    assert yaml.safe_load((deck / "deck.yaml").read_text(encoding="utf-8"))["slides"] == ["00-intro.md", "10-security", "20-containers"]
    assert [talk.title for talk in deckgen.load_deck(deck).talks] == ["Supply chain: what's next?", "Rootless containers & you"]


# --- bad input: file:line: error, exit 1, nothing written -----------------------------------------


def assert_refused(capsys: pytest.CaptureFixture[str], deck: Path, *argv: str | Path) -> str:
    """Run an import that must fail: exit 1, no traceback, and the deck folder not made."""
    code, out, err = run(capsys, "import", *argv, "--into", deck)
    assert code == 1, (out, err)
    assert "Traceback" not in err and "internal error" not in err
    assert not deck.exists()
    return err


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("broken.json", '{"schedule": {\n  "conference": [1, 2 3]\n}}', "broken.json:2:23: error: not valid JSON: Expecting ',' delimiter"),
        ("broken.xml", "<schedule>\n  <day>\n</schedule>\n", "broken.xml:3:3: error: not well-formed XML: mismatched tag"),
        (
            "broken.ics",
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nnot a content line\r\nEND:VCALENDAR\r\n",
            "broken.ics:3: error: not a valid iCalendar file",
        ),
        (
            "unclosed.ics",
            "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:x\r\n",
            "unclosed.ics:3: error: the file ends inside BEGIN:VEVENT of line 2 (no END:VEVENT): is it cut short?",
        ),
        ("other.json", '{"talks": []}', "other.json:1: error: a JSON file deckgen does not know"),
        ("notes.txt", "just some notes\n", "notes.txt:1: error: not a schedule deckgen knows"),
        (
            "feed.xml",
            '<?xml version="1.0"?>\n<rss><channel/></rss>',
            "feed.xml:1: error: not a frab/Pentabarf schedule: the root element is <rss>",
        ),
        ("latin1.ics", "BEGIN:VCALENDAR\nSUMMARY:caf\xe9\n", "latin1.ics:2: error: not UTF-8 text (byte 0xe9)"),
    ],
)
def test_a_broken_or_unknown_schedule_is_an_error_at_its_line(
    name: str, content: str, expected: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / name
    path.write_bytes(content.encode("latin-1" if name.startswith("latin1") else "utf-8"))
    err = assert_refused(capsys, tmp_path / "recap", path, "--pick", "x")
    assert err.startswith(f"{tmp_path / expected}"), err


def test_a_forced_format_that_does_not_fit_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err = assert_refused(capsys, tmp_path / "recap", SCHEDULES / "frab.xml", "--format", "schedule-json", "--pick", "x")
    assert f"{SCHEDULES / 'frab.xml'}:1:1: error: not valid JSON" in err
    err = assert_refused(capsys, tmp_path / "recap", SCHEDULES / "schedule.json", "--format", "ical", "--pick", "x")
    assert "error: not an iCalendar file" in err
    code, _, err = run(capsys, "import", SCHEDULES / "frab.xml", "--format", "excel", "--list")
    assert code == 2 and "invalid choice: 'excel'" in err


def test_a_playlist_given_as_the_schedule_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err = assert_refused(capsys, tmp_path / "recap", SCHEDULES / "playlist.json", "--pick", "x")
    assert "looks like a playlist listing, not a schedule: give it with --videos PLAYLIST.json" in err


def test_a_huge_file_is_refused_before_it_is_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from deckgen.importers import reading

    monkeypatch.setattr(reading, "MAX_BYTES", 1024)
    big = tmp_path / "big.json"
    big.write_text('{"schedule": {"x": "' + "y" * 2048 + '"}}', encoding="utf-8")
    err = assert_refused(capsys, tmp_path / "recap", big, "--pick", "x")
    assert f"{big}: error: the schedule is too large" in err


def test_a_broken_playlist_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    playlist = tmp_path / "playlist.json"
    playlist.write_text('{"entries": [\n  {"id": "x" "y"}\n]}', encoding="utf-8")
    err = assert_refused(capsys, tmp_path / "recap", SCHEDULES / "frab.xml", "--pick", "102", "--videos", playlist)
    assert f"{playlist}:2:14: error: not valid JSON" in err
    assert_refused(capsys, tmp_path / "recap", SCHEDULES / "frab.xml", "--pick", "102", "--videos", tmp_path / "missing.json")


def test_a_pick_matching_nothing_or_several_events_names_them_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    err = assert_refused(
        capsys, tmp_path / "recap", SCHEDULES / "frab.xml", "--pick", "kubernetes", "--pick", "nope", "--track", "secruity"
    )
    assert (
        "error: --pick 'kubernetes' matches 2 events: "
        "101 'Kubernetes - The Hard Way, Again'; 106 'Kubernetes security' (pick one by its id)" in err
    )
    assert "error: --pick 'nope' matches no event's id or title (see --list)" in err
    assert "error: --track 'secruity' is not a track of this schedule (did you mean 'Security'?)" in err
    err = assert_refused(capsys, tmp_path / "recap", SCHEDULES / "frab.xml")
    assert "nothing to import: choose events with --pick TEXT or --track NAME" in err


def test_an_exact_title_wins_over_titles_that_contain_it(tmp_path: Path) -> None:
    result = deckgen.import_schedule(SCHEDULES / "frab.xml", tmp_path / "recap", picks=["KUBERNETES SECURITY"])
    assert [talk.title for talk in result.talks] == ["Kubernetes security"]


def test_into_is_needed_unless_listing(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "import", SCHEDULES / "frab.xml", "--pick", "102")
    assert code == 2 and "--into DECK" in err


def test_a_folder_that_is_not_a_deck_is_left_alone(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "photos"
    folder.mkdir()
    (folder / "cat.jpg").write_bytes(b"\xff\xd8")
    code, _, err = run(capsys, "import", SCHEDULES / "frab.xml", "--pick", "102", "--into", folder)
    assert code == 1 and f"{folder}: error: the folder exists, holds files and no deck.yaml" in err
    assert [p.name for p in folder.iterdir()] == ["cat.jpg"]


def test_a_broken_deck_yaml_is_reported_and_nothing_is_written(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    deck = tmp_path / "recap"
    deck.mkdir()
    (deck / "deck.yaml").write_text("title: T\ntracks: [a, \n", encoding="utf-8")
    code, _, err = run(capsys, "import", SCHEDULES / "frab.xml", "--pick", "102", "--into", deck)
    assert code == 1 and f"{deck / 'deck.yaml'}:3:1: error: YAML syntax error" in err
    assert [p.name for p in deck.iterdir()] == ["deck.yaml"]


# --- hostile XML: refused before anything it names is read -----------------------------------------

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE schedule [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<schedule><day date="2026-01-01"><room name="r"><event id="1"><title>&lol9;</title></event></room></day></schedule>
"""


def _external_entity(secret: Path) -> str:
    return f"""<?xml version="1.0"?>
<!DOCTYPE schedule [ <!ENTITY secret SYSTEM "file://{secret}"> ]>
<schedule><day date="2026-01-01"><room name="r"><event id="1"><title>&secret;</title></event></room></day></schedule>
"""


@pytest.fixture
def opened_files() -> list[str]:
    """Every file the process opens while the test runs (an audit hook: it sees what a parser opens in C too)."""
    import sys

    opened: list[str] = []
    _AUDIT["into"] = opened
    if not _AUDIT.get("installed"):
        sys.addaudithook(_audit)
        _AUDIT["installed"] = True
    yield opened
    _AUDIT["into"] = None


_AUDIT: dict[str, object] = {}


def _audit(event: str, args: tuple[object, ...]) -> None:
    into = _AUDIT.get("into")
    if isinstance(into, list) and event == "open" and args and isinstance(args[0], (str, bytes, Path)):
        into.append(str(args[0]))


@pytest.mark.parametrize("kind", ["billion-laughs", "external-entity", "dtd", "parameter-entity"])
def test_hostile_xml_is_refused_and_nothing_is_read_or_written(
    kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], opened_files: list[str]
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-TOKEN", encoding="utf-8")
    documents = {
        "billion-laughs": BILLION_LAUGHS,
        "external-entity": _external_entity(secret),
        "dtd": '<?xml version="1.0"?>\n<!DOCTYPE schedule SYSTEM "schedule.dtd">\n<schedule/>\n',
        "parameter-entity": f'<?xml version="1.0"?>\n<!DOCTYPE schedule [ <!ENTITY % p SYSTEM "file://{secret}"> %p; ]>\n<schedule/>\n',
    }
    hostile = tmp_path / "schedule.xml"
    hostile.write_text(documents[kind], encoding="utf-8")
    (tmp_path / "schedule.dtd").write_text('<!ENTITY title "from the DTD">', encoding="utf-8")
    opened_files.clear()
    err = assert_refused(capsys, tmp_path / "recap", hostile, "--pick", "1")
    assert err.startswith(f"{hostile}:2: error: the XML has a document type declaration (DTD); deckgen refuses DTDs and entities")
    assert "TOP-SECRET-TOKEN" not in err
    assert not [path for path in opened_files if path.endswith(("secret.txt", "schedule.dtd"))]
    code, out, _ = run(capsys, "import", hostile, "--list")
    assert code == 1 and out == ""


@pytest.mark.parametrize(
    "line",
    ["---", "--", "NOTES: hidden?", "note:x", "# heading", "1. item", "2) item", "> quote", "```", "~~~", "    code", "| a | b |",
     "<b>x</b>", "[x](y.png)", "![x](y.png)", "*em* _em_ ~~del~~", "&amp;", "===", "+ item", "<https://example.com>"],
)  # fmt: skip
def test_escaped_text_renders_as_itself_on_one_slide(line: str, tmp_path: Path) -> None:
    from deckgen.importers.text import escape_markdown

    deck = tmp_path / "deck"
    (deck / "slides").mkdir(parents=True)
    (deck / "deck.yaml").write_text("title: T\n", encoding="utf-8")
    escaped = escape_markdown("before\n" + line + "\nafter")
    (deck / "slides" / "a.md").write_text(f"# Slide\n\n{escaped}\n", encoding="utf-8")
    loaded = deckgen.load_deck(deck)
    (slide,) = list(loaded.slides())
    assert slide.notes == ""
    from deckgen.markdown import render_markdown

    html = render_markdown(slide.markdown, "slides/a.md", html=True)
    text = PageInspector(f'<section data-dg="x">{html}</section>').texts
    assert line.strip() in " ".join(text)
    assert "<code>" not in html and "<a " not in html and "<img" not in html and "<b>" not in html and "<h1>" in html


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    seed=st.sampled_from(sorted(LISTED)),
    cuts=st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 40), st.binary(max_size=12)), min_size=1, max_size=6),
)
def test_a_damaged_schedule_is_read_or_refused_never_a_crash(
    seed: str, cuts: list[tuple[int, int, bytes]], tmp_path_factory: pytest.TempPathFactory
) -> None:
    from deckgen.importers.text import escape_markdown, plain_text

    data = bytearray((SCHEDULES / seed).read_bytes())
    for at, length, insert in cuts:
        at %= len(data) or 1
        data[at : at + length] = insert
    damaged = tmp_path_factory.mktemp("fuzz") / seed
    damaged.write_bytes(bytes(data))
    try:
        schedule = deckgen.read_schedule(damaged)
    except deckgen.ScheduleError as error:
        assert all(problem.path == str(damaged) for problem in error.problems)
        return
    for event in schedule.events:
        assert event.title and event.track
        escape_markdown(plain_text(event.abstract))


def test_two_talks_of_one_title_get_two_files_and_a_second_import_finds_both(tmp_path: Path) -> None:
    from deckgen.importers.event import Schedule, ScheduleEvent

    events = (
        ScheduleEvent("a", "Lightning talks", ("Ann",), "Lightning", None),
        ScheduleEvent("b", "Lightning talks", ("Ben",), "Lightning", None),
        ScheduleEvent("c", "日本語のトーク", ("Chie",), "Lightning", None),
    )
    schedule = Schedule("mem", "ical", None, events)
    first = deckgen.import_schedule(schedule, tmp_path / "recap", picks=["a", "b", "c"])
    assert [talk.rel for talk in first.talks] == [
        "slides/10-lightning/10-lightning-talks.md",
        "slides/10-lightning/20-lightning-talks-2.md",
        "slides/10-lightning/30-talk-c.md",
    ]
    again = deckgen.import_schedule(schedule, tmp_path / "recap", picks=["a", "b", "c"])
    assert [(talk.rel, talk.status) for talk in again.talks] == [(talk.rel, "kept") for talk in first.talks]
    assert [talk.speakers for talk in deckgen.load_deck(tmp_path / "recap").talks] == [("Ann",), ("Ben",), ("Chie",)]


def test_only_categories_of_breaks_and_registration_are_skipped(tmp_path: Path) -> None:
    calendar = tmp_path / "all.ics"
    events = [
        ("BREAKS", "Coffee Break"),
        ("Registration & Badge Pick-Up", "Badges"),
        ("Breaks & Refreshments", "Coffee Break - Sponsored by Example Co"),
        ("Registration + Check-in", "Badges, day 2"),
        ("Lunch & Learn", "Eat and hear - Ann\\, Co"),
    ]
    calendar.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Sched.com Test//EN\r\n"
        + "".join(
            f"BEGIN:VEVENT\r\nUID:u{index}\r\nSUMMARY:{title}\r\nCATEGORIES:{category}\r\nEND:VEVENT\r\n"
            for index, (category, title) in enumerate(events)
        )
        + "END:VCALENDAR\r\n",
        encoding="utf-8",
    )
    (event,) = deckgen.read_schedule(calendar).events
    assert (event.title, event.speakers, event.track) == ("Eat and hear", ("Ann",), "Lunch & Learn")


def test_an_ical_line_folded_inside_a_character_is_unfolded_into_it(tmp_path: Path) -> None:
    # RFC 5545 folds at 75 octets; a writer that counts bytes may cut 'ø' (two bytes) in two.
    summary = "SUMMARY:Talk about Zoë - Ana Sørensen\\, Acme".encode()
    cut = summary.index("ø".encode()) + 1
    calendar = tmp_path / "all.ics"
    calendar.write_bytes(
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Sched.com Test//EN\r\nBEGIN:VEVENT\r\nUID:u1\r\n"
        + summary[:cut]
        + b"\r\n "
        + summary[cut:]
        + b"\r\nCATEGORIES:Data\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    (event,) = deckgen.read_schedule(calendar).events
    assert (event.title, event.speakers, event.track) == ("Talk about Zoë", ("Ana Sørensen",), "Data")
    broken = tmp_path / "broken.ics"  # a byte that is no UTF-8 wherever the lines fold is still an error at its line
    broken.write_bytes(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nSUMMARY:bad \xff - A\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    with pytest.raises(deckgen.ScheduleError) as caught:
        deckgen.read_schedule(broken)
    assert [(p.line, p.code) for p in caught.value.problems] == [(4, "not-utf8")]


@pytest.mark.parametrize(
    ("abstract", "text"),
    [
        ("Use Vec<T> and Option<String>.\n\nThen more.", "Use Vec<T> and Option<String>.\n\nThen more."),  # plain text with angles
        ("If a<b and c>d, then", "If a<b and c>d, then"),
        ("<p>Generic <T> &amp; List<Integer></p><p>Two</p>", "Generic <T> & List<Integer>\n\nTwo"),  # HTML with a stray <T>
        ('<P CLASS="lead">Upper-case HTML</P><ul><li>one</li></ul>', "Upper-case HTML\n\n• one"),
        ("a <b>bold</b> move<br/>next", "a bold move\n\nnext"),
    ],
)
def test_an_abstract_is_html_only_when_it_holds_html(abstract: str, text: str) -> None:
    from deckgen.importers.text import plain_text

    assert plain_text(abstract) == text


@pytest.mark.parametrize(
    ("header", "url", "speakers"),
    [
        ("PRODID:-//Sched.com ExampleCon//EN\r\n", "https://examplecon.example.com/event/1", ("Ana Ruiz", "Li Na")),
        ("", "https://examplecon26.sched.com/event/1AB/talk", ("Ana Ruiz", "Li Na")),  # no PRODID: Sched's pages say it
        (
            "PRODID:-//pretalx//talks.example.org//schedcon\r\n",  # pretalx writes names only, whatever the event's slug
            "https://talks.example.org/schedcon/talk/AB/",
            ("Ana Ruiz", "Acme & Li Na", "Initech"),
        ),
    ],
)
def test_companies_are_dropped_only_from_what_sched_wrote(header: str, url: str, speakers: tuple[str, ...], tmp_path: Path) -> None:
    (event,) = read_events(
        tmp_path / "all.ics",
        f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n{header}BEGIN:VEVENT\r\nUID:u1\r\n"
        f"SUMMARY:Talk - Ana Ruiz\\, Acme & Li Na\\, Initech\r\nURL:{url}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    )
    assert (event.title, event.speakers) == ("Talk", speakers)


@pytest.mark.parametrize(
    ("body", "line", "words"),
    [
        ("BEGIN:VEVENT\r\nSUMMARY:a - B\r\nEND:VEVENT\r\n", 5, "cut short"),  # a download cut short: no END:VCALENDAR
        ("BEGIN:VEVENT\r\nSUMMARY:a - B\r\nEND:VTODO\r\nEND:VCALENDAR\r\n", 5, "END:VTODO where BEGIN:VEVENT of line 3"),
        ("END:VCALENDAR\r\nBEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", 4, "one calendar a file"),
        ('BEGIN:VEVENT\r\nUID:u1\r\nSUMMARY;CHARSET="UTF-8:a - B\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n', 5, "SUMMARY;CHARSET="),
        ("BEGIN:VEVENT\r\nDESCRIPTION:one line\r\nand a raw second one\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n", 5, "raw second"),
    ],
)
def test_a_broken_calendar_is_an_error_at_its_line_not_a_talk_lost(body: str, line: int, words: str, tmp_path: Path) -> None:
    calendar = tmp_path / "all.ics"
    calendar.write_text("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" + body, encoding="utf-8")
    with pytest.raises(deckgen.ScheduleError) as caught:
        deckgen.read_schedule(calendar)
    (problem,) = caught.value.problems
    assert (problem.path, problem.line, problem.code) == (str(calendar), line, "bad-ical")
    assert words in problem.message


def test_a_broken_start_time_only_leaves_the_event_in_its_place(tmp_path: Path) -> None:
    (event,) = read_events(
        tmp_path / "all.ics",
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nSUMMARY:a - B\r\nDTSTART:soon\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    )
    assert (event.title, event.speakers, event.start) == ("a", ("B",), None)


def test_tracks_whose_names_make_one_slug_or_none_get_folders_of_their_own(tmp_path: Path) -> None:
    import json

    tracks = ["C++", "C#", "Безопасность", "Данные"]
    events = [
        {"id": str(index), "title": title, "track": tracks[index % 4], "persons": [{"name": "Иван Петров"}]}
        for index, title in enumerate(["Templates", "Records", "Уязвимости", "Потоки", "Modules", "Spans", "分布式系统", "🎉"])
    ]
    schedule = tmp_path / "schedule.json"
    schedule.write_text(json.dumps({"schedule": {"conference": {"days": [{"rooms": {"A": events}}]}}}), encoding="utf-8")
    deck = tmp_path / "recap"
    first = deckgen.import_schedule(schedule, deck, picks=[str(index) for index in range(8)])
    folders = {talk.track: talk.rel.split("/")[1] for talk in first.talks}
    assert len(set(folders.values())) == 4, folders  # one folder a track: no track split in two
    assert all(folder.isascii() for folder in folders.values())
    assert [talk.track for talk in deckgen.load_deck(deck).talks] == [track for track in tracks for _ in range(2)]
    again = deckgen.import_schedule(schedule, deck, picks=["3", "2"])  # found again, whatever else is picked
    alone = tmp_path / "alone"
    deckgen.import_schedule(schedule, alone, picks=["0"])  # C++ first, alone
    (talk,) = deckgen.import_schedule(schedule, alone, picks=["1"]).talks  # then C#: not into C++'s folder
    assert [t.track for t in deckgen.load_deck(alone).talks] == ["C++", "C#"] and talk.rel.startswith("slides/20-")
    expected = [(talk.rel, "kept") for talk in first.talks if talk.title in ("Уязвимости", "Потоки")]
    assert [(talk.rel, talk.status) for talk in again.talks] == expected


def test_letters_unicode_does_not_take_apart_and_apostrophes_match_as_written_without() -> None:
    from deckgen.importers.event import ScheduleEvent
    from deckgen.importers.matching import match_videos, normalise
    from deckgen.importers.playlist import PlaylistEntry

    assert normalise("Łukasz Øvre, Đorđe & Æsa: Groß Œuvre") == normalise("Lukasz Ovre, Dorde and Aesa: Gross Oeuvre")
    assert normalise("Søren’s talk: don't panic") == normalise("Sorens Talk - Dont Panic")
    event = ScheduleEvent("1", "Søren's Ærø lab", ("Łukasz Wójcik", "Ingrid Øvre"), "Data", None)
    near = PlaylistEntry("Sorens Aero Lab - Lukasz Wojcik & Ingrid Ovre, Example Corp", "https://www.youtube.com/watch?v=cccccccccc1")
    other = PlaylistEntry("Soren's lab, revisited - Kim Lee", "https://www.youtube.com/watch?v=cccccccccc2")
    match = match_videos([event], [other, near])["1"]
    assert (match.url, match.outcome) == (near.url, "matched")


def test_the_library_takes_one_pick_or_track_given_as_a_string(tmp_path: Path) -> None:
    result = deckgen.import_schedule(SCHEDULES / "frab.xml", tmp_path / "recap", picks="101", tracks="security")
    assert [talk.title for talk in result.talks][:2] == ["Supply chain: what's next?", "Kubernetes - The Hard Way, Again"]
    assert {talk.track for talk in result.talks} == {"Containers", "Security"}


def test_a_pick_of_an_id_that_several_events_share_names_them(tmp_path: Path) -> None:
    calendar = tmp_path / "all.ics"
    calendar.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
        + "".join(f"BEGIN:VEVENT\r\nUID:e7\r\nSUMMARY:Expo hall\r\nDTSTART:2026010{day}T100000Z\r\nEND:VEVENT\r\n" for day in (1, 2))
        + "END:VCALENDAR\r\n",
        encoding="utf-8",
    )
    with pytest.raises(deckgen.ScheduleError) as caught:
        deckgen.import_schedule(calendar, tmp_path / "recap", picks=["e7"])
    (problem,) = caught.value.problems
    assert problem.code == "ambiguous-pick"
    assert problem.message.startswith("--pick 'e7' is the id of 2 events: e7 'Expo hall'; e7 'Expo hall'")
    assert not (tmp_path / "recap").exists()


@pytest.mark.parametrize("title", ["Track", "Session track", "Tracks / Streams"])
def test_sessionize_tracks_come_from_the_category_named_for_them(title: str, tmp_path: Path) -> None:
    import json

    document = {
        "sessions": [{"id": "1", "title": "Zero-trust networking", "speakers": ["s1"], "categoryItems": [11, 21]}],
        "speakers": [{"id": "s1", "fullName": "Ngozi Okafor"}],
        "categories": [
            {"id": 1, "title": "Level", "items": [{"id": 11, "name": "Advanced"}]},
            {"id": 2, "title": title, "items": [{"id": 21, "name": "Security"}]},
        ],
    }
    (event,) = read_events(tmp_path / "sessionize.json", json.dumps(document))
    assert (event.title, event.speakers, event.track) == ("Zero-trust networking", ("Ngozi Okafor",), "Security")


def test_a_talk_file_the_author_moved_or_renamed_is_found_again(tmp_path: Path) -> None:
    deck = tmp_path / "recap"
    first = deckgen.import_schedule(SCHEDULES / "frab.xml", deck, picks=["101", "102", "103"])
    hard_way, rootless, supply = (deck / talk.rel for talk in sorted(first.talks, key=lambda talk: talk.title))
    (deck / "slides" / "05-highlights").mkdir()
    moved = deck / "slides" / "05-highlights" / "10-hard-way.md"  # moved to a folder of the author's, and renamed
    hard_way.rename(moved)
    renamed = rootless.with_name("15-rootless.md")
    rootless.rename(renamed)
    renamed.write_text(renamed.read_text(encoding="utf-8") + "\nMy notes.\n", encoding="utf-8")
    kept = {path: path.read_bytes() for path in (moved, renamed, supply)}
    again = deckgen.import_schedule(SCHEDULES / "frab.xml", deck, picks=["101", "102", "103"])
    assert sorted((deck / talk.rel, talk.status) for talk in again.talks) == sorted((path, "kept") for path in kept)
    assert {path: path.read_bytes() for path in kept} == kept
    names = sorted(path.name for path in deck.glob("slides/**/*.md"))
    assert names == sorted(["00-intro.md", "10-hard-way.md", "15-rootless.md", supply.name])  # no second copy
    # a talk of the same title in another track is another talk: it gets its own file
    from deckgen.importers.event import Schedule

    schedule = deckgen.read_schedule(SCHEDULES / "frab.xml")
    other = next(event for event in schedule.events if event.id == "102")
    elsewhere = Schedule(schedule.path, schedule.format, None, (replace(other, id="999", track="Security"),))
    (talk,) = deckgen.import_schedule(elsewhere, deck, picks=["999"]).talks
    assert talk.status == "written" and talk.rel.startswith("slides/") and "security" in talk.rel


def test_control_characters_in_a_schedule_never_reach_the_files_or_the_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    event = {
        "id": "1",
        "title": "Null\u0000byte \u001b[31mred\u0007 \u202eevil",
        "track": "Tr\u0000ack",
        "persons": [{"name": "Na\u0000me"}],
        "abstract": "One\u0000 \u001b[0mtwo\nthree",
        "links": [{"url": "https://example.org/a\u0000b", "title": "broken"}, {"url": "https://example.org/ok", "title": "b\u0007ell"}],
    }
    schedule = tmp_path / "schedule.json"
    schedule.write_text(json.dumps({"schedule": {"conference": {"days": [{"rooms": {"A": [event]}}]}}}), encoding="utf-8")
    code, out, _ = run(capsys, "import", schedule, "--list")
    assert code == 0 and out == "1\tTrack\tNullbyte [31mred \\u202eevil\tName\tno video\n"
    code, out, _ = run(capsys, "import", schedule, "--into", tmp_path / "recap", "--pick", "1")
    assert code == 0 and out.isascii() and "\x1b" not in out
    (talk_file,) = (tmp_path / "recap" / "slides").glob("*/*.md")
    text = talk_file.read_text(encoding="utf-8")
    assert not any(char < " " and char != "\n" for char in text), repr(text)
    (talk,) = deckgen.load_deck(tmp_path / "recap").talks
    assert (talk.title, talk.speakers, talk.track) == ("Nullbyte [31mred \u202eevil", ("Name",), "Track")
    assert [(link.title, link.url) for link in talk.links] == [("bell", "https://example.org/ok")]
    assert "One [0mtwo" in talk.slides[0].notes.replace("\\", "")


def test_a_recording_titled_after_the_conference_and_year_matches_its_talk() -> None:
    from deckgen.importers.event import ScheduleEvent
    from deckgen.importers.matching import match_videos
    from deckgen.importers.playlist import PlaylistEntry

    events = [
        ScheduleEvent("1", "Understanding the memory model", ("Ana Ruiz",), "Go", None),
        ScheduleEvent("2", "Profiling in production", ("Bo Li",), "Go", None),
    ]
    entries = [
        PlaylistEntry("GopherCon 2026: Understanding the Memory Model", "https://www.youtube.com/watch?v=dddddddddd1"),
        PlaylistEntry("GopherCon EU 2026: Bo Li - Profiling in Production", "https://www.youtube.com/watch?v=dddddddddd2"),
        PlaylistEntry("GopherCon 2026: Profiling in Development", "https://www.youtube.com/watch?v=dddddddddd3"),
    ]
    matches = match_videos(events, entries)
    assert [matches[event.id].url for event in events] == [entries[0].url, entries[1].url]


def test_a_deck_that_cannot_be_made_is_an_error_not_a_crash(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "notes.txt").write_text("a file, where the deck's parent folder should be\n", encoding="utf-8")
    deck = tmp_path / "notes.txt" / "recap"
    for argv in (("new", deck), ("import", SCHEDULES / "frab.xml", "--into", deck, "--pick", "101")):
        code, _, err = run(capsys, *argv)
        assert code == 1
        assert err.splitlines()[0] == f"{deck}: error: cannot write the deck: Not a directory [deckgen.unwritable]"


def test_a_disk_that_fills_half_way_leaves_the_deck_as_it_was(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import os

    from test_output_faults import small_file_system

    with small_file_system(tmp_path / "disk", "1m") as disk:
        deck = disk / "recap"
        deckgen.import_schedule(SCHEDULES / "frab.xml", deck, picks=["105"])
        before = {path: path.read_bytes() for path in sorted(deck.rglob("*")) if path.is_file()}
        page = os.statvfs(disk).f_frsize
        filler = disk / "filler"
        filler.write_bytes(b"\0" * (os.statvfs(disk).f_bavail * page - 2 * page))  # room for two small files, not five
        picks = ("--pick", "101", "--pick", "102", "--track", "security")
        code, _, err = run(capsys, "import", SCHEDULES / "frab.xml", "--into", deck, *picks)
        assert code == 1, err
        assert "No space left on device; the import took back what it had written [deckgen.unwritable]" in err
        assert {path: path.read_bytes() for path in sorted(deck.rglob("*")) if path.is_file()} == before
        assert sorted(path.relative_to(deck).as_posix() for path in deck.rglob("*") if path.is_dir()) == ["slides", "slides/10-talks"]


def test_a_recording_as_close_to_an_event_not_picked_is_not_taken() -> None:
    from deckgen.importers.event import ScheduleEvent
    from deckgen.importers.matching import match_videos
    from deckgen.importers.playlist import PlaylistEntry

    talk = ScheduleEvent("1", "Intro to Rust", ("Ana Ruiz",), "Rust", None)
    workshop = ScheduleEvent("2", "Intro to Rust (workshop)", ("Ana Ruiz",), "Workshops", None)
    again = ScheduleEvent("3", "Intro to Rust", ("Ana Ruiz",), "Rust", None)  # the same talk, given twice: no rival
    other = ScheduleEvent("4", "Advanced Rust", ("Bo Li",), "Rust", None)
    recording = PlaylistEntry("Intro to Rust (Workshop) - Ana Ruiz, Example Corp", "https://www.youtube.com/watch?v=eeeeeeeeee1")
    match = match_videos([talk], [recording], [talk, workshop, again, other])["1"]
    assert (match.url, match.outcome, match.rival) == (None, "elsewhere", "Intro to Rust (workshop)")
    assert "as close to another event of the schedule, 'Intro to Rust (workshop)'" in match.explain(talk.title)
    assert match_videos([talk], [recording], [talk, again, other])["1"].url == recording.url  # the workshop not in the schedule
    assert match_videos([workshop], [recording], [talk, workshop, again, other])["2"].url == recording.url  # closer to it


@pytest.mark.skipif(not hasattr(__import__("sys"), "get_int_max_str_digits"), reason="this Python reads integers of any length")
@pytest.mark.parametrize("what", ["schedule", "playlist"])
def test_a_number_thousands_of_digits_long_is_an_error_at_its_line(what: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    huge = "9" * 5000
    path = tmp_path / f"{what}.json"
    if what == "schedule":
        schedule = '{"schedule": {"conference": {"days": [\n{"rooms": {"A": [{"id": ' + huge + ', "title": "x"}]}}]}}}'
        path.write_text(schedule, encoding="utf-8")
        argv: tuple[str | Path, ...] = (path, "--list")
    else:
        path.write_text('{"id": "a", "title": "x"}\n{"id": "b", "title": "y", "duration": ' + huge + "}\n", encoding="utf-8")
        argv = (SCHEDULES / "frab.xml", "--into", tmp_path / "recap", "--pick", "101", "--videos", path)
    code, _, err = run(capsys, "import", *argv)
    assert (code, err.splitlines()[0]) == (1, f"{path}:2: error: not usable JSON: a number thousands of digits long [deckgen.bad-json]")
    assert not (tmp_path / "recap").exists()


def test_an_ampersand_left_unescaped_by_the_exporter_is_read_as_text(tmp_path: Path) -> None:
    (event,) = read_events(
        tmp_path / "schedule.xml",
        "<?xml version='1.0' encoding='utf-8' ?>\n<schedule><day date='2026-01-01'><room name='A'>"
        "<event id='1'><title>Tom &amp; Jerry &#38; friends</title><track>Art & Beauty</track>"
        "<persons><person>Ana & Bo</person></persons></event></room></day></schedule>\n",
    )
    assert (event.title, event.track, event.speakers) == ("Tom & Jerry & friends", "Art & Beauty", ("Ana & Bo",))
    broken = tmp_path / "broken.xml"  # broken otherwise too: still an error at its place
    broken.write_text("<schedule>\n<day>\n<room><event id='1'><title>x & y</title></room></day></schedule>\n", encoding="utf-8")
    with pytest.raises(deckgen.ScheduleError) as caught:
        deckgen.read_schedule(broken)
    assert [(p.line, p.code) for p in caught.value.problems] == [(3, "bad-xml")]


def test_a_deck_track_is_the_schedules_by_name_title_or_slug_but_c_sharp_is_not_c_plus_plus() -> None:
    from deckgen.importers.writer import deck_track

    tracks = [("cpp", "C++"), ("service-mesh", "service-mesh"), ("linux", "Linux & Kernel")]
    assert [deck_track(name, tracks) for name in ("C++", "Service Mesh", "linux & kernel", "C#", "Rust")] == [
        "cpp",
        "service-mesh",
        "linux",
        None,
        None,
    ]


@pytest.mark.parametrize("command", ["new", "import"])
def test_a_disk_too_full_for_a_new_deck_leaves_no_half_deck(command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import os

    from test_output_faults import small_file_system

    with small_file_system(tmp_path / "disk", "1m") as disk:
        page = os.statvfs(disk).f_frsize
        (disk / "filler").write_bytes(b"\0" * (os.statvfs(disk).f_bavail * page - 2 * page))  # room for two small files
        deck = disk / "recap"
        extra = ("--into", deck, "--pick", "101") if command == "import" else (deck,)
        code, _, err = run(capsys, command, *((SCHEDULES / "frab.xml",) if command == "import" else ()), *extra)
        assert code == 1 and "No space left on device" in err, err
        assert sorted(path.name for path in disk.iterdir()) == ["filler"]


def test_a_listing_read_only_in_part_ends_quietly(tmp_path: Path) -> None:
    import json
    import subprocess
    import sys

    events = [{"id": str(index), "title": f"Talk number {index}", "track": "Main"} for index in range(5000)]
    schedule = tmp_path / "schedule.json"
    schedule.write_text(json.dumps({"schedule": {"conference": {"days": [{"rooms": {"A": events}}]}}}), encoding="utf-8")
    # `deckgen import schedule.json --list | head -1`: the reader closes the pipe after one line
    listing = subprocess.Popen(
        [sys.executable, "-m", "deckgen", "import", str(schedule), "--list"], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert listing.stdout is not None and listing.stderr is not None
    assert listing.stdout.readline() == b"0\tMain\tTalk number 0\t\tno video\n"
    listing.stdout.close()
    assert (listing.wait(timeout=60), listing.stderr.read()) == (0, b"")


def test_a_link_whose_address_cannot_be_taken_apart_is_no_link(tmp_path: Path) -> None:
    (event,) = read_events(
        tmp_path / "schedule.xml",
        "<schedule><conference><base_url>https://example.org/2026/</base_url></conference><day date='2026-01-01'>"
        "<room name='A'><event id='1'><title>T</title><links><link href='https://[]example.org/a.mp4'>Video recording</link>"
        "<link href='http://[::1'>Broken</link><link href='slides/t.pdf'>Slides</link></links></event></room></day></schedule>",
    )
    assert (event.video, [(link.title, link.url) for link in event.links]) == (None, [("Slides", "https://example.org/2026/slides/t.pdf")])


def test_an_import_into_a_deck_with_a_date_no_calendar_has_reads_it_as_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`date: 2021-02-30` unquoted in deck.yaml or in a talk's front-matter: PyYAML raises ValueError; it is text."""
    deck = tmp_path / "deck"
    assert main(["new", str(deck)]) == 0
    deck_yaml = deck / "deck.yaml"
    deck_yaml.write_text(deck_yaml.read_text(encoding="utf-8").replace('date: "Month Year"', "date: 2021-02-30"), encoding="utf-8")
    assert "date: 2021-02-30\n" in deck_yaml.read_text(encoding="utf-8")
    (deck / "slides" / "50-other.md").write_text("---\ntitle: Other\ntrack: talks\ndate: 2021-02-30\n---\n# x\n", encoding="utf-8")
    calendar = tmp_path / "s.ics"
    calendar.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//EN\r\nBEGIN:VEVENT\r\nUID:1@example.com\r\n"
        "DTSTART:20210301T100000Z\r\nSUMMARY:A talk about things\r\nCATEGORIES:Main\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        encoding="utf-8",
    )
    capsys.readouterr()
    assert main(["import", str(calendar), "--into", str(deck), "--pick", "things"]) == 0
    assert "internal error" not in capsys.readouterr().err
    assert "date: 2021-02-30\n" in deck_yaml.read_text(encoding="utf-8")


def test_a_calendar_whose_lines_end_in_cr_alone_is_read(tmp_path: Path) -> None:
    text = "BEGIN:VCALENDAR\rVERSION:2.0\rBEGIN:VEVENT\rUID:u1\rSUMMARY:Old Mac - Ana\rEND:VEVENT\rEND:VCALENDAR\r"
    (event,) = read_events(tmp_path / "all.ics", text)
    assert (event.id, event.title, event.speakers) == ("u1", "Old Mac", ("Ana",))


def test_a_speakers_link_titled_video_or_recording_is_the_recording(tmp_path: Path) -> None:
    import json

    links = [
        {"title": "Demo video", "url": "https://video.example.org/demo", "type": "related"},
        {"title": "Video", "url": "https://video.example.org/watch/talk", "type": "related"},
    ]
    event = {"id": "1", "title": "T", "track": "Main", "links": links}
    (read,) = read_events(tmp_path / "schedule.json", json.dumps({"schedule": {"conference": {"days": [{"rooms": {"A": [event]}}]}}}))
    assert (read.video, [link.title for link in read.links]) == ("https://video.example.org/watch/talk", ["Demo video"])


def test_a_date_no_calendar_has_in_the_deck_is_text_to_the_import_too(tmp_path: Path) -> None:
    deck = tmp_path / "recap"
    (deck / "slides" / "10-containers").mkdir(parents=True)
    (deck / "deck.yaml").write_text("title: Recap\ndate: 2021-02-30\ntracks:\n  - name: Containers\n", encoding="utf-8")
    (deck / "slides" / "10-containers" / "10-other.md").write_text(
        "---\ntitle: Other\ntrack: Containers\ndate: 2021-02-30\n---\n## Other\n", encoding="utf-8"
    )
    result = deckgen.import_schedule(SCHEDULES / "frab.xml", deck, picks=["101", "105"])  # a new talk of a known track, and a new track
    assert [talk.status for talk in result.talks] == ["written", "written"]
    assert result.tracks_added == ("Talks",)
