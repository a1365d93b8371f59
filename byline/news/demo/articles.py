"""The demo newsroom's journalism, written for Byline.

Facts are from public events; every sentence is our own. Bodies are the rich
text an editor would type: paragraphs with <h2> subheadings. "published" is when
the events happened (2024); the loader dates each article in the hours before it
runs, in that order, so that its dates agree with the records it signs.
"""

AUTHORS = [
    {
        "slug": "mara-ellison",
        "name": "Mara Ellison",
        "role": "Diplomatic editor",
        "bio": "<p>Mara has reported on Moscow and Beijing for fifteen years and now "
        "covers the alliances that shape both capitals.</p>",
        "expertise": "China, Russia, Diplomacy, Security",
        "colour": (122, 35, 40),
    },
    {
        "slug": "tomas-reyes",
        "name": "Tomás Reyes",
        "role": "Economics correspondent",
        "bio": "<p>Tomás writes about central banks, markets and the rules that govern "
        "technology companies.</p>",
        "expertise": "Central banks, Markets, Technology regulation",
        "colour": (28, 78, 110),
    },
    {
        "slug": "priya-natarajan",
        "name": "Priya Natarajan",
        "role": "Political correspondent",
        "bio": "<p>Priya covers elections and parliaments in Europe and South "
        "Asia.</p>",
        "expertise": "Elections, Parliaments, Europe, India",
        "colour": (44, 95, 45),
    },
    {
        "slug": "jonah-abernethy",
        "name": "Jonah Abernethy",
        "role": "Culture writer",
        "bio": "<p>Jonah writes about books, big events and the science that draws "
        "crowds outdoors.</p>",
        "expertise": "Books, Events, Science",
        "colour": (96, 60, 130),
    },
]

SECTIONS = [
    ("World", "Foreign news and analysis from our correspondents."),
    ("Politics", "Elections, parliaments and the people who run them."),
    ("Business", "Markets, central banks, companies and the rules they live by."),
    ("Culture", "Books, ideas, big events and the sky above them."),
]

ARTICLES = [
    {
        "slug": "putin-xi-state-visit-beijing",
        "section": "World",
        "type_of_work": "analysis",
        "title": "Putin's state visit to Xi shows who leads the partnership",
        "standfirst": "Beijing gave the Russian president every honour of a state "
        "visit, but the terms of the relationship are now set by China.",
        "authors": ["mara-ellison"],
        "tags": ["Russia", "China", "Vladimir Putin", "Xi Jinping", "Diplomacy"],
        "dateline": "BEIJING",
        "methods": "Written from the text of the joint statement published by China's "
        "foreign ministry, the two presidents' televised remarks, and interviews with "
        "three analysts of Russian-Chinese relations in Beijing and Moscow, two of "
        "whom asked not to be named because their institutes advise their "
        "governments.",
        # Published first with a wrong date, then corrected: the demo shows a
        # correction note, two signed versions and the difference between them.
        "correction": {
            "wrong": "talks on 15 and 16 May",
            "right": "talks on 16 and 17 May",
            "kind": "correction",
            "note": "An earlier version of this article gave the dates of the talks "
            "as 15 and 16 May. They took place on 16 and 17 May.",
        },
        "published": "2024-05-17T16:30:00+00:00",
        "caption": "An illustration of two flags' colours meeting over a map of "
        "north-east Asia.",
        "credit": "Byline illustration",
        "palette": [(178, 34, 34), (255, 204, 0), (20, 60, 140)],
        "body": """
<p>Vladimir Putin chose China for his first foreign trip after being sworn in for a
fifth term, and his hosts made sure the symbolism was impossible to miss. A ceremony
on Tiananmen Square, a military band, rows of children waving flags: Xi Jinping
offered the full repertoire of a state visit to a leader whom much of the West now
treats as a pariah.</p>
<p>Behind the pageantry, the two days of talks on 16 and 17 May showed a relationship
that has become steadily more lopsided since Russian troops crossed into Ukraine in
2022. Moscow needs Beijing's markets, machinery and diplomatic cover. Beijing values
Moscow as a partner against American pressure, but it has far more to lose.</p>
<h2>Warm words, carefully measured</h2>
<p>Mr Putin was effusive. He praised China's economic rise and told reporters that
members of his family were studying Mandarin, a rare glimpse of his private life.
Mr Xi was friendly but more economical, presenting Russia as a good neighbour and
the partnership as stable and mature rather than as an alliance.</p>
<p>The difference in tone matters. China wants to show that isolating Russia has
failed, without signing up to anything that would put its trade with Europe and the
United States at risk. Its banks have already become more cautious about handling
Russian payments since Washington threatened secondary sanctions.</p>
<h2>A joint statement about money</h2>
<p>The long joint statement issued after the talks leaned heavily on economic
promises: more trade settled in roubles and yuan, cooperation on energy and farming,
and new transport routes. One item caught the eye of regional analysts: a plan to
talk with North Korea about Chinese ships reaching the Sea of Japan by the lower
Tumen River, a route Beijing has wanted for decades.</p>
<p>Mr Putin also spent an evening with Mr Xi at Zhongnanhai, the leadership compound
next to the Forbidden City, an invitation Chinese officials reserve for guests they
want to flatter.</p>
<h2>Harbin, and an audience in Washington</h2>
<p>The visit ended in Harbin, the north-eastern city with deep Russian roots, where
Mr Putin opened a trade fair and toured a university known for defence research.
American officials had spent weeks warning Beijing that supplying Russia's war
industry with machine tools and electronics would carry a price; the US secretary
of state, Antony Blinken, had delivered the message in person weeks earlier.</p>
<p>For now China is betting it can keep both relationships. The visit showed how far
Russia will go to keep Beijing close, and how carefully Beijing decides how close
it wants to be.</p>
""",
        "sources": [
            (
                "Joint statement on deepening the comprehensive strategic partnership, "
                "16 May 2024",
                "Ministry of Foreign Affairs of the PRC",
                "https://www.fmprc.gov.cn/eng/",
            ),
            (
                "Press statements by the presidents of Russia and China, 16 May 2024",
                "Office of the President of Russia",
                "http://en.kremlin.ru/",
            ),
            (
                "Remarks by Secretary Blinken after meetings in Beijing, April 2024",
                "US Department of State",
                "https://www.state.gov/",
            ),
        ],
    },
    {
        "slug": "nato-75-washington-summit",
        "section": "World",
        "type_of_work": "news",
        "title": "NATO marks 75 years in Washington with new pledges for Ukraine",
        "standfirst": "Leaders of the 32 allies promised a steady floor of military "
        "aid and named China as an enabler of Russia's war.",
        "authors": ["mara-ellison"],
        "tags": ["NATO", "Ukraine", "Russia", "China", "United States"],
        "dateline": "WASHINGTON",
        "published": "2024-07-11T20:15:00+00:00",
        "caption": "An illustration of a compass rose in blue and white.",
        "credit": "Byline illustration",
        "palette": [(0, 51, 102), (240, 240, 240), (90, 140, 200)],
        "body": """
<p>The alliance returned to the city where its founding treaty was signed in 1949
to celebrate its 75th birthday, with Sweden attending its first summit as a full
member after joining in March.</p>
<h2>A floor for support</h2>
<p>Allies agreed to provide at least 40 billion euros in military assistance to
Ukraine within the next year and to coordinate training and deliveries through a
new command in Germany. The first F-16 fighter jets promised by European members
were confirmed to be on their way.</p>
<h2>Beijing named</h2>
<p>The summit declaration used its strongest language yet about China, calling it a
decisive enabler of Russia's war through its support for Russian industry. Chinese
officials rejected the wording and accused the alliance of stirring confrontation.</p>
<p>Ukraine was told again that its path to membership was irreversible, without a
date or an invitation.</p>
""",
        "sources": [
            (
                "Washington Summit Declaration, 10 July 2024",
                "NATO",
                "https://www.nato.int/",
            ),
        ],
    },
    {
        "slug": "india-election-modi-third-term",
        "section": "World",
        "type_of_work": "news",
        "title": "Modi wins a third term but loses his party's majority",
        "standfirst": "The BJP fell short of a majority on its own for the first time "
        "in a decade and will rely on coalition partners.",
        "authors": ["priya-natarajan"],
        "tags": ["India", "Elections", "Narendra Modi"],
        "dateline": "NEW DELHI",
        "published": "2024-06-04T18:00:00+00:00",
        "caption": "An illustration of ballot marks in saffron, white and green.",
        "credit": "Byline illustration",
        "palette": [(255, 153, 51), (250, 250, 250), (19, 136, 8)],
        "body": """
<p>Narendra Modi will return as prime minister after the world's largest election,
but the count released on 4 June left his Bharatiya Janata Party with 240 seats,
well short of the 272 needed to govern alone.</p>
<h2>Allies become kingmakers</h2>
<p>The National Democratic Alliance led by the BJP won 293 seats in the 543-member
lower house, enough for a majority with the support of regional parties from Andhra
Pradesh and Bihar whose leaders will now expect a say in policy.</p>
<h2>An opposition revived</h2>
<p>The opposition INDIA bloc, led by Congress, did far better than exit polls had
suggested and made gains in Uttar Pradesh, the most populous state, where the BJP
had been expected to dominate. Markets fell sharply on the day of the count before
recovering as the coalition arithmetic became clear.</p>
""",
        "sources": [
            (
                "General election 2024 results",
                "Election Commission of India",
                "https://results.eci.gov.in/",
            ),
        ],
    },
    {
        "slug": "labour-landslide-general-election",
        "section": "Politics",
        "type_of_work": "news",
        "title": "Labour wins a landslide as Conservatives suffer their worst defeat",
        "standfirst": "Keir Starmer becomes prime minister with a majority of more "
        "than 170 seats, on a low turnout and a fragmented vote.",
        "authors": ["priya-natarajan"],
        "tags": ["United Kingdom", "Elections", "Keir Starmer", "Parliament"],
        "dateline": "LONDON",
        "published": "2024-07-05T07:45:00+00:00",
        "caption": "An illustration of a red wave rolling over a blue shoreline.",
        "credit": "Byline illustration",
        "palette": [(200, 16, 46), (0, 135, 220), (250, 250, 245)],
        "body": """
<p>Labour won 411 of the 650 seats in the House of Commons, ending fourteen years of
Conservative government. Keir Starmer was appointed prime minister by the King on
Friday morning and promised a government of "service".</p>
<h2>A big majority on a modest share</h2>
<p>The scale of the win in seats hides a narrower picture in votes. Labour took about
a third of the vote, and turnout, at roughly 60 per cent, was among the lowest since
universal suffrage. Reform UK won around 14 per cent of the vote but only five seats,
while the Liberal Democrats won 72 seats with a smaller share.</p>
<h2>The Conservative reckoning</h2>
<p>The Conservatives were reduced to 121 MPs, their lowest total ever, and several
cabinet ministers lost their seats. Rishi Sunak said he would step down as party
leader once a successor was chosen.</p>
""",
        "sources": [
            (
                "General election 2024 results",
                "House of Commons Library",
                "https://commonslibrary.parliament.uk/",
            ),
        ],
    },
    {
        "slug": "macron-snap-election-explained",
        "section": "Politics",
        "type_of_work": "explainer",
        "title": "Why Macron gambled on a snap election, and how it ended",
        "standfirst": "A heavy defeat in the European vote led the French president to "
        "dissolve parliament. Voters handed him a hung assembly.",
        "authors": ["priya-natarajan"],
        "tags": ["France", "Elections", "Emmanuel Macron", "European Parliament"],
        "dateline": "PARIS",
        "published": "2024-07-08T10:00:00+00:00",
        "caption": "An illustration of three overlapping circles in blue, white "
        "and red.",
        "credit": "Byline illustration",
        "palette": [(0, 35, 149), (250, 250, 250), (237, 41, 57)],
        "body": """
<p>On the night of the European Parliament elections, 9 June, the National Rally
list led by Jordan Bardella won about 31 per cent of the French vote, roughly twice
the score of the president's camp. Within an hour Emmanuel Macron dissolved the
National Assembly.</p>
<h2>The reasoning</h2>
<p>Mr Macron argued that voters deserved a clear choice and that the far right would
be weaker in a national vote with a two-round system. Critics, including some of his
own ministers, said he had handed his opponents the chance they wanted.</p>
<h2>Two rounds, one surprise</h2>
<p>The National Rally came first in the first round on 30 June. Before the second
round on 7 July, more than 200 left-wing and centrist candidates withdrew from
three-way races to avoid splitting the vote against it. The New Popular Front, an
alliance of the left, won the most seats, the president's group came second, and the
National Rally third. No bloc came close to a majority.</p>
<h2>What it means</h2>
<p>France now faces months of bargaining to form a government able to survive a
confidence vote, with the budget as the first test.</p>
""",
        "sources": [
            (
                "Résultats des élections législatives 2024",
                "Ministère de l'Intérieur",
                "https://www.interieur.gouv.fr/",
            ),
        ],
    },
    {
        "slug": "eu-ai-act-enters-into-force",
        "section": "Business",
        "type_of_work": "explainer",
        "title": "The EU's AI Act is now law: what changes and when",
        "standfirst": "The first comprehensive rules for artificial intelligence apply "
        "in stages over the next three years, with bans coming first.",
        "authors": ["tomas-reyes"],
        "tags": ["European Union", "Artificial intelligence", "Regulation"],
        "dateline": "BRUSSELS",
        "published": "2024-08-01T08:00:00+00:00",
        "caption": "An illustration of a circuit pattern arranged in a ring of stars.",
        "credit": "Byline illustration",
        "palette": [(0, 51, 153), (255, 204, 0), (60, 60, 80)],
        "body": """
<p>The European Union's law on artificial intelligence entered into force on
1 August. It sorts AI systems by the risk they pose and sets duties to match, from
outright bans to simple transparency notices.</p>
<h2>The timetable</h2>
<ul>
<li>From February 2025, practices judged unacceptable are banned, such as social
scoring by public authorities and some uses of emotion recognition at work.</li>
<li>From August 2025, providers of general-purpose models must document their
training and respect EU copyright law.</li>
<li>From August 2026, most obligations for high-risk systems, such as those used in
hiring or credit decisions, apply.</li>
</ul>
<h2>Penalties</h2>
<p>The most serious breaches can cost a company up to 35 million euros or 7 per cent
of its worldwide annual turnover, whichever is higher. A new AI Office in the
European Commission will supervise the largest model providers.</p>
""",
        "sources": [
            (
                "Regulation (EU) 2024/1689 (Artificial Intelligence Act)",
                "Official Journal of the European Union",
                "https://eur-lex.europa.eu/",
            ),
        ],
    },
    {
        "slug": "fed-cuts-rates-half-point",
        "section": "Business",
        "type_of_work": "news",
        "title": "Federal Reserve cuts rates by half a point, its first cut since 2020",
        "standfirst": "The central bank moved faster than many expected, saying it "
        "wanted to protect a cooling labour market now that inflation has eased.",
        "authors": ["tomas-reyes"],
        "tags": ["Federal Reserve", "Interest rates", "United States", "Inflation"],
        "dateline": "WASHINGTON",
        "published": "2024-09-18T18:30:00+00:00",
        "caption": "An illustration of a descending staircase drawn in green lines.",
        "credit": "Byline illustration",
        "palette": [(20, 90, 60), (220, 230, 220), (40, 40, 40)],
        "body": """
<p>The Federal Reserve lowered its benchmark rate by 0.5 percentage points on
Wednesday, to a range of 4.75 to 5 per cent, ending a campaign of high rates that
began in 2022.</p>
<h2>Why a larger step</h2>
<p>The chair, Jerome Powell, said the decision reflected growing confidence that
inflation was moving sustainably towards the 2 per cent target, and a wish to keep
the labour market strong rather than wait for it to weaken. Officials' projections
pointed to further cuts before the end of the year.</p>
<h2>One dissent</h2>
<p>Governor Michelle Bowman voted for a smaller, quarter-point cut, the first dissent
by a Fed governor on a rate decision since 2005.</p>
""",
        "sources": [
            (
                "FOMC statement, 18 September 2024",
                "Board of Governors of the Federal Reserve System",
                "https://www.federalreserve.gov/",
            ),
        ],
    },
    {
        "slug": "crowdstrike-update-global-outage",
        "section": "Business",
        "type_of_work": "news",
        "title": "A faulty security update crashes millions of Windows computers",
        "standfirst": "Airlines, hospitals and broadcasters were disrupted after a "
        "CrowdStrike update sent machines into a reboot loop.",
        "authors": ["tomas-reyes"],
        "tags": ["Cybersecurity", "Technology", "Aviation"],
        "dateline": "SAN FRANCISCO",
        "published": "2024-07-19T14:00:00+00:00",
        # Published first without the scale of the outage, then updated: the
        # demo shows an update note beside the Putin article's correction.
        "correction": {
            "wrong": "",
            "right": """<h2>The scale</h2>
<p>Microsoft later estimated that about 8.5 million Windows devices were affected,
less than one per cent of the total, but concentrated in businesses that run
critical services. Airlines were among the slowest to recover.</p>""",
            "kind": "update",
            "note": "This article now gives Microsoft's estimate of how many Windows "
            "devices were affected.",
        },
        "caption": "An illustration of a blue screen broken into tiles.",
        "credit": "Byline illustration",
        "palette": [(0, 90, 200), (230, 240, 255), (30, 30, 60)],
        "body": """
<p>A routine content update to CrowdStrike's Falcon security software caused Windows
computers around the world to crash on Friday, grounding flights, delaying surgery
and taking television channels off air.</p>
<h2>What went wrong</h2>
<p>The update contained a defective configuration file that made the Falcon sensor
crash the operating system at start-up. CrowdStrike withdrew it within about an hour
and a half, but machines that had already received it could not start normally and
had to be fixed by hand, often one at a time.</p>
<h2>The scale</h2>
<p>Microsoft later estimated that about 8.5 million Windows devices were affected,
less than one per cent of the total, but concentrated in businesses that run
critical services. Airlines were among the slowest to recover.</p>
""",
        "sources": [
            (
                "Preliminary post-incident review",
                "CrowdStrike",
                "https://www.crowdstrike.com/",
            ),
            (
                "Helping our customers through the CrowdStrike outage",
                "Microsoft",
                "https://blogs.microsoft.com/",
            ),
        ],
    },
    {
        "slug": "nikkei-worst-day-since-1987",
        "section": "Business",
        "type_of_work": "analysis",
        "title": "Tokyo's worst trading day since 1987, and why it unwound so fast",
        "standfirst": "The Nikkei fell more than 12 per cent in a day as a popular "
        "trade built on the cheap yen collapsed.",
        "authors": ["tomas-reyes"],
        "tags": ["Japan", "Markets", "Interest rates"],
        "dateline": "TOKYO",
        "published": "2024-08-06T09:00:00+00:00",
        "caption": "An illustration of a red line plunging across a grid.",
        "credit": "Byline illustration",
        "palette": [(190, 20, 40), (250, 245, 240), (50, 50, 50)],
        "body": """
<p>Japan's Nikkei 225 index lost 12.4 per cent on Monday 5 August, its largest
one-day fall since the crash of October 1987, before regaining much of the loss the
following day.</p>
<h2>A crowded trade</h2>
<p>For years investors borrowed in yen at near-zero rates to buy higher-yielding
assets elsewhere. When the Bank of Japan raised rates at the end of July and weak
American jobs figures raised the chance of US cuts, the yen rose quickly and those
positions had to be closed in a hurry.</p>
<h2>Why it matters beyond Tokyo</h2>
<p>The sell-off spread to other markets, a reminder of how far cheap money from one
country can reach. The central bank's deputy governor calmed markets days later by
saying it would not raise rates while markets were unstable.</p>
""",
        "sources": [
            (
                "Statement on monetary policy, 31 July 2024",
                "Bank of Japan",
                "https://www.boj.or.jp/en/",
            ),
        ],
    },
    {
        "slug": "han-kang-nobel-literature",
        "section": "Culture",
        "type_of_work": "news",
        "title": "Han Kang becomes the first South Korean writer to win the Nobel",
        "standfirst": "The author of The Vegetarian was honoured for prose that "
        "confronts historical wounds and the fragility of life.",
        "authors": ["jonah-abernethy"],
        "tags": ["Books", "Nobel Prize", "South Korea"],
        "dateline": "STOCKHOLM",
        "published": "2024-10-10T12:30:00+00:00",
        "caption": "An illustration of pages turning in white and pale green.",
        "credit": "Byline illustration",
        "palette": [(240, 245, 235), (90, 130, 90), (30, 50, 40)],
        "body": """
<p>The Swedish Academy awarded the 2024 Nobel Prize in Literature to Han Kang, the
first writer from South Korea and the first Asian woman to receive it.</p>
<h2>A body of work</h2>
<p>Han became known to readers in English with The Vegetarian, which won the
International Booker Prize in 2016. Later novels, including Human Acts, about the
1980 Gwangju uprising, and We Do Not Part, about the Jeju massacre, turned to the
violence of Korea's twentieth century.</p>
<h2>The reaction</h2>
<p>Bookshops in Seoul sold out of her novels within a day. Han said she would not hold
a press conference, telling her father that with wars going on it was not a time
for celebration.</p>
""",
        "sources": [
            (
                "The Nobel Prize in Literature 2024, press release",
                "The Swedish Academy",
                "https://www.nobelprize.org/",
            ),
        ],
    },
    {
        "slug": "paris-olympics-opening-on-the-seine",
        "section": "Culture",
        "type_of_work": "news",
        "title": "Paris opens its Games on the river, in the rain",
        "standfirst": "Athletes travelled down the Seine on boats in the first Olympic "
        "opening ceremony held outside a stadium.",
        "authors": ["jonah-abernethy"],
        "tags": ["Olympics", "France", "Sport"],
        "dateline": "PARIS",
        "published": "2024-07-27T00:30:00+00:00",
        "caption": "An illustration of five rings reflected in dark water.",
        "credit": "Byline illustration",
        "palette": [(20, 40, 80), (240, 200, 60), (200, 60, 60)],
        "body": """
<p>About 6,800 athletes sailed six kilometres along the Seine on 26 July, from the
Austerlitz bridge to the foot of the Eiffel Tower, as a steady rain fell on the
crowds along the banks.</p>
<h2>A show across a city</h2>
<p>Performances unfolded on bridges, rooftops and the facades of monuments. Céline
Dion, in her first public performance in years, closed the evening from the first
floor of the Eiffel Tower.</p>
<h2>The flame takes flight</h2>
<p>The judoka Teddy Riner and the sprinter Marie-José Pérec lit the cauldron, a ring
of fire beneath a balloon that rose over the Tuileries garden and became the most
photographed sight of the Games.</p>
""",
        "sources": [
            (
                "Opening ceremony facts and figures",
                "Paris 2024 organising committee",
                "https://olympics.com/",
            ),
        ],
    },
    {
        "slug": "total-solar-eclipse-north-america",
        "section": "Culture",
        "type_of_work": "news",
        "title": "Millions stop to watch a total eclipse cross North America",
        "standfirst": "The Moon's shadow crossed from Mexico's Pacific coast to "
        "Newfoundland, with totality lasting up to four and a half minutes.",
        "authors": ["jonah-abernethy"],
        "tags": ["Science", "Astronomy", "United States", "Mexico"],
        "dateline": "DALLAS",
        "published": "2024-04-08T21:00:00+00:00",
        "caption": "An illustration of a black disc ringed by a pale corona.",
        "credit": "Byline illustration",
        "palette": [(10, 10, 20), (250, 240, 210), (80, 90, 140)],
        "body": """
<p>The eclipse reached land near Mazatlán in Mexico shortly after 11am local time on
8 April and swept north-east across Texas, the Midwest, New England and eastern
Canada in little more than an hour and a half.</p>
<h2>Crowds under the shadow</h2>
<p>Towns along the path of totality prepared for weeks, and traffic on highways out
of the path built up for hours afterwards. Near the centre line the Sun was fully
covered for more than four minutes.</p>
<h2>Science in the dark</h2>
<p>Researchers used the event to launch sounding rockets, fly instruments on
high-altitude jets and gather observations from volunteers, studying how the sudden
darkness affects the upper atmosphere.</p>
""",
        "sources": [
            ("Eclipse 2024", "NASA", "https://science.nasa.gov/eclipses/"),
        ],
    },
    {
        "slug": "readers-should-not-take-our-word-for-it",
        "section": "Politics",
        "type_of_work": "opinion",
        "title": "Readers should not have to take our word for it",
        "standfirst": "We are starting to sign every article we publish. Here is why "
        "a newsroom should prove what it published, and when it changed it.",
        "authors": ["mara-ellison", "tomas-reyes"],
        "tags": ["Journalism", "Trust", "Misinformation"],
        "dateline": "",
        "published": "2024-10-21T08:00:00+00:00",
        "caption": "An illustration of a wax seal pressed onto a page.",
        "credit": "Byline illustration",
        "palette": [(140, 20, 30), (245, 235, 215), (60, 40, 30)],
        "body": """
<p>Screenshots travel faster than corrections. A doctored image of a headline can
circulate for days before anyone checks it against the original, and by then the
original may itself have been quietly edited.</p>
<h2>What we are doing instead</h2>
<p>We are building a public record of every version of every article, with the time
it was published and the reason for each correction. Each version will be signed
with a key whose public half anyone can download, so that a reader, a researcher or
another newsroom can check what we said without trusting our servers.</p>
<h2>What we ask of others</h2>
<p>None of this requires new inventions. The standards for signing documents have
existed for years. What has been missing is the habit. We think every newsroom that
asks for trust should be willing to show its working.</p>
""",
        "sources": [],
    },
]

# A link to another of these pages is written <a data-page="slug">; the loader
# makes it a Wagtail page link once that page exists (it follows moves).
POLICY_PAGES = [
    {
        "slug": "about",
        "title": "About us",
        "intro": "Byline is an independent newsroom covering politics, world affairs, "
        "business and culture.",
        "body": """
<p>We are a small team of reporters and editors. We publish reporting we have
checked, label opinion and analysis clearly, and correct our mistakes in public.</p>
<h2>How to reach us</h2>
<p>Tips, complaints and corrections go to the editors through our
<a data-page="feedback">feedback page</a>.</p>
""",
    },
    {
        "slug": "ethics",
        "policy": "ethics",
        "title": "Ethics policy",
        "intro": "The standards every piece we publish is held to.",
        "body": """
<h2>Accuracy</h2>
<p>Every factual claim is checked against a source we can name. Where we rely on a
document, we link to it.</p>
<h2>Independence</h2>
<p>Advertisers and sponsors have no say over our reporting. Sponsored pieces carry a
label at the top of the page and in every listing.</p>
<h2>Labels</h2>
<p>Each article is marked as news, analysis, opinion, explainer or sponsored, so
readers know what kind of work they are reading.</p>
""",
    },
    {
        "slug": "corrections",
        "policy": "corrections",
        "title": "Corrections policy",
        "intro": "When we get something wrong, we say so on the article itself.",
        "body": """
<p>Corrections are added to the article with the date and a note saying what changed.
Every published version is kept, and readers can compare versions word by word.
All corrections are listed, newest first, on our <a href="/corrections/log/">corrections
page</a>.</p>
<h2>Reporting an error</h2>
<p>Use the <a data-page="feedback">feedback page</a> and tell us which article and
which sentence.</p>
""",
    },
    {
        "slug": "ownership",
        "policy": "ownership",
        "footer": False,
        "title": "Ownership and funding",
        "intro": "Who owns Byline, and where the money comes from.",
        "body": """
<p>Byline is owned by its staff through a cooperative; no shareholder holds more
than one vote. Reader subscriptions and donations pay for most of our work, and
advertising for the rest.</p>
<p>We list every donor who gives more than 5,000 euros a year on this page, and no
donor is told about a story before it is published.</p>
""",
    },
    {
        "slug": "diverse-voices",
        "policy": "diversity",
        "footer": False,
        "title": "Diverse voices",
        "intro": "Whose views we seek out, and how we check that we do.",
        "body": """
<p>We look for sources beyond the usual officials and experts: people affected by a
decision, not only the people who made it. Each quarter we count the sources quoted
in our reporting by gender and region and publish the figures here.</p>
""",
    },
    {
        "slug": "verification",
        "policy": "fact_checking",
        "footer": False,
        "title": "How we verify",
        "intro": "What we check before we publish, and how.",
        "body": """
<p>Every figure is traced to a document or a named source, and every quotation to a
recording or notes. A second editor reads each news story before it is published.
Photographs and videos from social media are checked for place and date before use.</p>
<p>Each published version of an article is signed with our newsroom's key, so anyone
can check that what they read is what we published.</p>
""",
    },
    {
        "slug": "unnamed-sources",
        "policy": "unnamed_sources",
        "footer": False,
        "title": "Unnamed sources",
        "intro": "When we let a source speak without a name.",
        "body": """
<p>We grant anonymity only when a source would face real harm for speaking and the
information matters to readers. At least one editor knows the source's identity, and
the article says why the source was not named.</p>
""",
    },
    {
        "slug": "masthead",
        "policy": "masthead",
        "footer": False,
        "title": "Masthead",
        "intro": "The people responsible for what Byline publishes.",
        "body": """
<p>Editor: Mara Ellison. Economics: Tomás Reyes. Politics: Priya Natarajan. Culture:
Jonah Abernethy. The editor answers for every article we publish.</p>
""",
    },
    {
        "slug": "feedback",
        "policy": "feedback",
        "title": "Feedback and complaints",
        "intro": "Tell us what we got wrong, or what we should cover.",
        "body": """
<p>Write to the editors at <a href="mailto:editors@example.org">editors@example.org</a>.
We answer every complaint about accuracy within three working days.</p>
""",
    },
]

SITE_SETTINGS = {
    "tagline": "Independent journalism you can check",
    "about_blurb": "Byline is an independent newsroom. We name our sources, correct "
    "our mistakes in public, and label every piece with the kind of journalism it "
    "is.",
    "x_url": "https://x.com/example",
    "facebook_url": "https://www.facebook.com/example",
    "youtube_url": "https://www.youtube.com/@example",
    "mastodon_url": "https://mastodon.social/@example",
}
