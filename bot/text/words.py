"""Word lists and folding: stopwords, irregular verbs, what readers and writers use for one
another (demonyms, capitals, a few synonyms, shorthand, number words, British spellings).
Pure data and one function."""

from __future__ import annotations

import re


def pairs(table: str) -> dict[str, str]:
    """A table of "word:replacement" pairs, separated by white space, as a dict."""
    return dict(pair.split(":") for pair in table.split())


# A compact English stopword list (Snowball's, plus question words and contractions):
# these words carry no topic, and dropping them keeps BM25 from ranking on "the" and "what".
STOPWORDS = frozenset(
    """
    a about above after again against all am an and any are aren't as at be because been
    before being below between both but by can can't cannot could couldn't did didn't do
    does doesn't doing don't down during each few for from further had hadn't has hasn't
    have haven't having he he'd he'll he's her here here's hers herself him himself his how
    how's i i'd i'll i'm i've if in into is isn't it it's its itself let's me more most
    mustn't my myself no nor not of off on once only or other ought our ours ourselves out
    over own same shan't she she'd she'll she's should shouldn't so some such than that
    that's the their theirs them themselves then there there's these they they'd they'll
    they're they've this those through to too under until up very was wasn't we we'd we'll
    we're we've were weren't what what's when when's where where's which while who who's
    whom why why's with won't would wouldn't you you'd you'll you're you've your yours
    yourself yourselves also did does may might must shall will whose yet s t d ll m re ve
    without within upon whether though although however since unless onto toward towards
    much many
    across along via per among
    dont doesnt didnt cant couldnt wouldnt shouldnt isnt arent wasnt werent havent hasnt
    hadnt mustnt im ive youre youve theyre theyve thats whats whos wheres whens hows whys
    theres heres shes theyll youll itll thatll wholl theyd youd wont aint gonna wanna gotta
    r ur abt bout cuz coz tho wot wut thru pls plz tbh idk btw lol thx
    itd thatd whod whatd whered howd thered it'd that'd who'd what'd where'd how'd there'd
    yall y'all ya kinda sorta dunno
    """.split()
)

# Irregular past forms the Snowball stemmer leaves apart from their verb ("rose" never meets
# "rise"), mapped before stemming so "how much did attacks rise" finds "attacks rose".
IRREGULAR = pairs(
    """
    arose:arise arisen:arise awoke:awake bore:bear borne:bear beaten:beat became:become
    began:begin begun:begin bent:bend bet:bet bid:bid bitten:bite bled:bleed blew:blow
    blown:blow broke:break broken:break bred:breed brought:bring built:build burnt:burn
    bought:buy caught:catch chose:choose chosen:choose clung:cling came:come crept:creep
    dealt:deal dug:dig drew:draw drawn:draw dreamt:dream drank:drink drunk:drink drove:drive
    driven:drive ate:eat eaten:eat fell:fall fallen:fall fed:feed felt:feel fought:fight
    found:find fled:flee flung:fling flew:fly flown:fly forbade:forbid forbidden:forbid
    forgot:forget forgotten:forget forgave:forgive forgiven:forgive froze:freeze frozen:freeze
    got:get gotten:get gave:give given:give went:go gone:go grew:grow grown:grow hung:hang
    heard:hear hid:hide hidden:hide held:hold hurt:hurt kept:keep knelt:kneel knew:know
    known:know laid:lay led:lead leant:lean leapt:leap lent:lend lit:light
    lost:lose made:make meant:mean met:meet paid:pay ran:run rang:ring rung:ring rode:ride
    ridden:ride rose:rise risen:rise said:say saw:see seen:see sought:seek sold:sell sent:send
    shook:shake shaken:shake shone:shine shot:shoot shrank:shrink shrunk:shrink sang:sing
    sung:sing sank:sink sunk:sink sat:sit slept:sleep slid:slide slain:slay slew:slay
    spoke:speak spoken:speak sped:speed spent:spend spun:spin sprang:spring sprung:spring
    stood:stand stole:steal stolen:steal stuck:stick stung:sting stank:stink strode:stride
    struck:strike stricken:strike strove:strive striven:strive swore:swear sworn:swear
    swept:sweep swam:swim swum:swim swung:swing took:take taken:take taught:teach tore:tear
    torn:tear told:tell thought:think threw:throw thrown:throw trod:tread understood:understand
    woke:wake woken:wake wore:wear worn:wear wove:weave woven:weave wept:weep won:win
    withdrew:withdraw withdrawn:withdraw wrote:write written:write
    """
)

# Paraphrases folded before stemming, so a reader's words meet the article's: country
# adjectives and demonyms to the country ("Japanese" -> japan, "Yemeni" -> yemen), number
# words to digits ("four" -> 4), British spellings to American ones (symbolise, colour,
# centre, defence, analyse). Measured in benchmarks/news.py and benchmarks/retrieval.py.
DEMONYMS = pairs(
    """
    afghan:afghanistan albanian:albania algerian:algeria american:america angolan:angola
    argentine:argentina argentinian:argentina armenian:armenia australian:australia aussie:australia
    aussies:australia
    austrian:austria azerbaijani:azerbaijan bahraini:bahrain bangladeshi:bangladesh
    belarusian:belarus belgian:belgium bolivian:bolivia bosnian:bosnia brazilian:brazil
    british:britain brit:britain brits:britain bulgarian:bulgaria burmese:burma
    burundian:burundi cambodian:cambodia
    cameroonian:cameroon canadian:canada chadian:chad chilean:chile chinese:china
    colombian:colombia congolese:congo croatian:croatia cuban:cuba cypriot:cyprus
    danish:denmark dutch:netherlands ecuadorian:ecuador egyptian:egypt emirati:emirates
    english:england eritrean:eritrea estonian:estonia ethiopian:ethiopia european:europe
    filipino:philippines finnish:finland french:france georgian:georgia german:germany
    ghanaian:ghana greek:greece guatemalan:guatemala haitian:haiti honduran:honduras
    hungarian:hungary icelandic:iceland indian:india indonesian:indonesia iranian:iran
    iraqi:iraq irish:ireland israeli:israel italian:italy ivorian:ivory jamaican:jamaica
    japanese:japan jordanian:jordan kazakh:kazakhstan kenyan:kenya korean:korea
    kosovar:kosovo kuwaiti:kuwait kyrgyz:kyrgyzstan latvian:latvia lebanese:lebanon
    liberian:liberia libyan:libya lithuanian:lithuania malawian:malawi malaysian:malaysia
    malian:mali maltese:malta mexican:mexico moldovan:moldova mongolian:mongolia
    moroccan:morocco mozambican:mozambique namibian:namibia nepalese:nepal nepali:nepal
    nicaraguan:nicaragua nigerian:nigeria norwegian:norway pakistani:pakistan
    palestinian:palestine panamanian:panama paraguayan:paraguay peruvian:peru polish:poland
    portuguese:portugal qatari:qatar romanian:romania russian:russia rwandan:rwanda
    saudi:saudi scottish:scotland senegalese:senegal serbian:serbia singaporean:singapore
    slovak:slovakia slovenian:slovenia somali:somalia spanish:spain sudanese:sudan
    swedish:sweden swiss:switzerland syrian:syria taiwanese:taiwan tajik:tajikistan
    tanzanian:tanzania thai:thailand tibetan:tibet tunisian:tunisia turkish:turkey
    ugandan:uganda ukrainian:ukraine uruguayan:uruguay uzbek:uzbekistan
    venezuelan:venezuela vietnamese:vietnam welsh:wales yemeni:yemen zambian:zambia
    zimbabwean:zimbabwe asian:asia african:africa
    montenegrin:montenegro macedonian:macedonia nigerien:niger burkinabe:burkina
    crimean:crimea transnistrian:transnistria kashmiri:kashmir tigrayan:tigray
    catalan:catalonia chechen:chechnya abkhazian:abkhazia ossetian:ossetia gazan:gaza
    punjabi:punjab sindhi:sindh balochi:balochistan baloch:balochistan siberian:siberia
    bavarian:bavaria sicilian:sicily sardinian:sardinia corsican:corsica flemish:flanders
    walloon:wallonia galician:galicia andalusian:andalusia cornish:cornwall hawaiian:hawaii
    alaskan:alaska texan:texas californian:california floridian:florida quebecois:quebec
    patagonian:patagonia saharan:sahara herzegovinian:herzegovina darfuri:darfur
    dagestani:dagestan azeri:azerbaijan kyrgyzstani:kyrgyzstan uzbekistani:uzbekistan
    kazakhstani:kazakhstan tajikistani:tajikistan
    laotian:laos lankan:lanka bruneian:brunei timorese:timor papuan:papua tongan:tonga
    guyanese:guyana surinamese:suriname belizean:belize gambian:gambia leonean:leone
    botswanan:botswana
    malagasy:madagascar sahelian:sahel greenlandic:greenland mauritanian:mauritania
    djiboutian:djibouti omani:oman bhutanese:bhutan maldivian:maldives fijian:fiji
    samoan:samoa gabonese:gabon guinean:guinea beninese:benin togolese:togo
    salvadoran:salvador bahamian:bahamas barbadian:barbados trinidadian:trinidad
    kosovan:kosovo croat:croatia serb:serbia slovene:slovenia turkmen:turkmenistan
    """
)
# Countries and territories readers may type in lower case that no demonym above names.
OTHER_COUNTRIES = frozenset("""tuvalu kiribati nauru palau vanuatu tonga samoa fiji maldives
    bhutan lanka brunei timor andorra monaco liechtenstein luxembourg seychelles mauritius
    comoros eswatini lesotho botswana gambia micronesia djibouti eritrea somaliland abkhazia
    transnistria kurdistan greenland belize suriname guyana laos myanmar montenegro
    macedonia niger burkina madagascar oman""".split())
# Capitals and seats of government stand for their country in world-affairs writing ("Moscow
# and Tokyo never signed a treaty", "the Kremlin says"): each is indexed and searched as
# itself and as its country, so "the ballots in Podgorica" still finds Podgorica first.
METONYMS = pairs(
    """
    kremlin:russia moscow:russia tokyo:japan beijing:china pyongyang:korea seoul:korea
    kyiv:ukraine kiev:ukraine tehran:iran riyadh:saudi sanaa:yemen ankara:turkey cairo:egypt
    damascus:syria baghdad:iraq kabul:afghanistan islamabad:pakistan khartoum:sudan
    nairobi:kenya abuja:nigeria caracas:venezuela havana:cuba ottawa:canada
    canberra:australia berlin:germany paris:france rome:italy madrid:spain london:britain
    westminster:britain whitehall:britain taipei:taiwan hanoi:vietnam bangkok:thailand
    jakarta:indonesia manila:philippines minsk:belarus warsaw:poland budapest:hungary
    soviet:russia soviets:russia ussr:russia
    baku:azerbaijan yerevan:armenia tbilisi:georgia astana:kazakhstan tashkent:uzbekistan
    bishkek:kyrgyzstan dushanbe:tajikistan ashgabat:turkmenistan ulaanbaatar:mongolia
    dhaka:bangladesh kathmandu:nepal colombo:lanka naypyidaw:myanmar rangoon:myanmar
    yangon:myanmar vientiane:laos 
    asmara:eritrea mogadishu:somalia juba:sudan kampala:uganda
    kigali:rwanda kinshasa:congo luanda:angola lusaka:zambia harare:zimbabwe
    dakar:senegal bamako:mali niamey:niger ouagadougou:burkina accra:ghana
    tunis:tunisia algiers:algeria rabat:morocco tripoli:libya amman:jordan
    beirut:lebanon doha:qatar muscat:oman 
    manama:bahrain bogota:colombia lima:peru quito:ecuador
    brasilia:brazil montevideo:uruguay
    asuncion:paraguay sucre:bolivia brussels:europe
    vilnius:lithuania riga:latvia tallinn:estonia helsinki:finland oslo:norway
    stockholm:sweden copenhagen:denmark prague:czech vienna:austria bratislava:slovakia
    ljubljana:slovenia zagreb:croatia belgrade:serbia sarajevo:bosnia podgorica:montenegro
    skopje:macedonia tirana:albania athens:greece sofia:bulgaria bucharest:romania
    chisinau:moldova lisbon:portugal dublin:ireland
    """
)
# Words of world-affairs reporting that readers and writers use for one another ("talks" for
# "negotiations", "splitting" for "division"), folded to one word on both sides; and nouns
# whose Snowball stem misses their verb ("agreement" / "agree"). Measured on SQuAD and the
# news questions (benchmarks/retrieval.py, benchmarks/news.py), not on the seed questions.
SYNONYMS = pairs(
    """
    talks:negotiate talk:negotiate talking:negotiate negotiation:negotiate
    negotiations:negotiate negotiating:negotiate negotiated:negotiate
    split:divide splitting:divide division:divide divided:divide dividing:divide
    partition:divide partitioned:divide
    agreement:agree agreements:agree
    fighting:war hostilities:war warfare:war
    start:begin started:begin starting:begin starts:begin
    straightforward:simple easy:simple
    complicated:complex
    truce:ceasefire truces:ceasefire armistice:ceasefire armistices:ceasefire
    navy:naval navies:naval militarily:military
    loss:lose losses:lose
    advantage:benefit advantages:benefit gain:benefit gains:benefit
    finish:complete finished:complete finishing:complete finishes:complete
    discuss:negotiate discussed:negotiate discusses:negotiate discussing:negotiate
    discussion:negotiate discussions:negotiate
    keen:eager keener:eager keenly:eager
    deal:agree deals:agree
    press:media reporters:media journalists:media
    expert:expert experts:expert analyst:expert analysts:expert professor:expert
    professors:expert scholar:expert scholars:expert academic:expert academics:expert
    invasion:invade invasions:invade decision:decide decisions:decide explosion:explode
    explosions:explode blast:explode blasts:explode collision:collide collisions:collide
    erosion:erode
    conclusion:conclude conclusions:conclude inclusion:include exclusion:exclude
    intrusion:intrude evasion:evade persuasion:persuade expansion:expand
    extension:extend suspension:suspend revision:revise
    failure:fail failures:fail
    belong:own belongs:own belonged:own belonging:own grab:take grabbed:take grabbing:take
    seize:take seized:take seizing:take seizure:take shopkeeper:trader shopkeepers:trader
    merchant:trader merchants:trader
    budge:negotiate budging:negotiate compromise:negotiate compromises:negotiate
    compromising:negotiate
    """
)
NUMBER_WORDS = pairs(
    """
    two:2 three:3 four:4 five:5 six:6 seven:7 eight:8 nine:9 ten:10 eleven:11 twelve:12
    thirteen:13 fourteen:14 fifteen:15 sixteen:16 seventeen:17 eighteen:18 nineteen:19
    twenty:20 thirty:30 forty:40 fifty:50 sixty:60 seventy:70 eighty:80 ninety:90
    hundred:100
    """
)
_BRITISH_ROOTS = pairs(
    """
    colour:color honour:honor labour:labor favour:favor neighbour:neighbor
    behaviour:behavior harbour:harbor rumour:rumor armour:armor humour:humor
    flavour:flavor vigour:vigor endeavour:endeavor odour:odor savour:savor parlour:parlor
    vapour:vapor valour:valor rancour:rancor clamour:clamor saviour:savior
    splendour:splendor tumour:tumor candour:candor ardour:ardor fervour:fervor
    centre:center theatre:theater metre:meter litre:liter fibre:fiber calibre:caliber
    sombre:somber spectre:specter meagre:meager lustre:luster sabre:saber
    defence:defense offence:offense licence:license pretence:pretense
    programme:program catalogue:catalog grey:gray tyre:tire jewellery:jewelry
    aluminium:aluminum mould:mold plough:plow sceptic:skeptic manoeuvre:maneuver
    kilometre:kilometer centimetre:centimeter millimetre:millimeter nanometre:nanometer
    micrometre:micrometer millilitre:milliliter centilitre:centiliter
    """
)
_BRITISH = re.compile("^(" + "|".join(sorted(_BRITISH_ROOTS, key=len, reverse=True)) + ")")
_ISE = re.compile(r"^(\w{3,}?)(is|ys)(e|ed|es|ing|er|ers|ation|ations)$")
# -ise words that are spelt so in American English too.
_ISE_KEEP = frozenset(
    """
    advertise advise apprise arise chastise circumcise comprise compromise demise despise
    devise disguise enterprise excise exercise expertise franchise improvise incise
    merchandise premise promise revise supervise surmise surprise televise treatise precise
    concise paradise otherwise likewise clockwise noise poise raise praise cruise bruise
    mortise reprise valise porpoise tortoise turquoise chemise enfranchise disenfranchise
    anise appraise louise denise elise eloise cerise
    """.split()
)


def american(word: str) -> str:
    """A word in American spelling; demonyms as their country, number words as digits.
    (Capitals are their city and their country: `bot.text.tokens`.)"""
    if word in DEMONYMS:
        return DEMONYMS[word]
    if word in SYNONYMS:
        return SYNONYMS[word]
    if word in NUMBER_WORDS:
        return NUMBER_WORDS[word]
    if word.endswith("s") and word[:-1] in DEMONYMS:  # Russians, Israelis
        return DEMONYMS[word[:-1]]
    m = _BRITISH.match(word)
    if m:
        return _BRITISH_ROOTS[m.group(1)] + word[m.end():]
    m = _ISE.match(word)
    if m and f"{m.group(1)}{m.group(2)}e" not in _ISE_KEEP:
        return f"{m.group(1)}{m.group(2)[0]}z{m.group(3)}"
    return word


# Phrases readers use where articles write one word ("when did the talks kick off" for "began",
# "why was the offer turned down" for "declined", "a step forward" for "progress"), given to
# questions (bot/text/phrases.py; the phrase stays when the site uses its words). A verb
# is given as its plain form; its inflections ("kicked", "wrapping", "took") are found from it.
# The particle may follow a short object ("turned the offer down"); "+" joins the words of a
# replacement.
PHRASAL_VERBS = pairs(
    """
    kick_off:begin start_off:begin start_out:begin break_out:begin get_underway:begin
    set_up:establish hammer_out:negotiate thrash_out:negotiate iron_out:resolve
    sort_out:resolve wrap_up:complete finish_up:complete finish_off:complete
    turn_down:decline step_down:resign step_up:increase pull_out:withdraw back_out:withdraw
    call_off:cancel put_off:postpone carry_out:conduct look_into:investigate
    take_over:take+control hand_over:return hand_back:return give_back:return
    break_down:collapse fall_through:collapse fall_apart:collapse back_down:concede
    give_in:concede rule_out:reject walk_away:withdraw drag_on:continue go_ahead:proceed
    carve_up:divide get_back:reclaim win_back:reclaim take_back:reclaim
    fork_out:pay shell_out:pay hit_back:retaliate strike_back:retaliate sign_up:join
    come_down:fall go_down:fall go_up:rise shoot_up:rise run_out:exhaust dry_up:exhaust
    argue_about:dispute argue_over:dispute fight_over:dispute fight_about:dispute
    quarrel_over:dispute quarrel_about:dispute squabble_over:dispute
    """
)
# Phrases that are not verbs: each to the word articles use for it.
PHRASES = pairs(
    """
    step_forward:progress steps_forward:progress step_in_the_right_direction:progress
    sticking_point:tension sticking_points:tension bone_of_contention:tension
    point_of_contention:tension in_office:tenure
    took_over_from:succeeded take_over_from:succeed takes_over_from:succeeds
    taking_over_from:succeeding
    say_no_to:decline says_no_to:declines said_no_to:declined saying_no_to:declining
    take_part:participate takes_part:participate took_part:participate
    global_warming:climate+change
    end_up_with:take ended_up_with:took ends_up_with:takes ending_up_with:taking
    prepared_to:willing+to ready_to:willing+to
    taking_part:participate
    the_year_is_out:the+end+of+the+year year_end:the+end+of+the+year
    by_december:by+the+end+of+the+year before_december:before+the+end+of+the+year
    by_christmas:by+the+end+of+the+year by_new_year:by+the+end+of+the+year
    before_new_year:before+the+end+of+the+year end_of_december:end+of+the+year
    come_into_force:apply comes_into_force:applies came_into_force:applied
    coming_into_force:applying come_into_effect:apply comes_into_effect:applies
    came_into_effect:applied enter_into_force:apply enters_into_force:applies
    entered_into_force:applied go_into_effect:apply goes_into_effect:applies
    went_into_effect:applied take_effect:apply takes_effect:applies took_effect:applied
    kick_in:apply kicks_in:applies kicked_in:applied kicking_in:applying
    run_dry:exhaust runs_dry:exhausts ran_dry:exhausted running_dry:exhausting
    stop_fighting:ceasefire stopped_fighting:ceasefire stops_fighting:ceasefire
    """
)

# Words that say one thing in a reader's question and another in an article, looked for
# only where a reader's word is in no article (bot/text/phrases.py `fold_reader_words`):
# "who quit as head" on a site that writes "resigned", "how much does it owe" where it says
# "debt". (SYNONYMS above folds words on both sides, in the index too.) A word in two groups
# with two others is looked for as either, and they not as each other: "compo" is
# compensation or damages, but "damages" (also what a storm does) is not "compensation".
READER_WORDS = tuple(group.split("|") for group in """
    resign|quit  leave|quit|exit|withdraw  debt|owe|owed  total|overall  subside|sink|sinking
    earn|earned|revenue
    hard|harder|difficult|tough  legislature|parliament|lawmakers|congress
    ratify|ratified|approve|approved  leader|head|chief|boss  environmental|environmentalist
    troops|soldiers  wildlife|animals  vessels|ships  prohibit|ban|outlaw  purchase|buy
    wealthy|rich  worry|concern|fear  protest|demonstration  prison|jail  detain|arrest
    survey|poll  wage|salary  plan|proposal|scheme  halt|suspend  children|kids
    vehicle|car  military|army  residents|locals|inhabitants  lawsuit|sue|sued
    pay|paying|fund|funded|finance|financed  row|dispute|spat|feud
    decline|declined|reject|rejected|refuse|refused|rebuff|rebuffed|accept|accepted
    speech|speak|speaking|spoke  payout|payouts|handout|handouts|transfer|transfers
    grow|grew|grown|rise|rose|risen|increase|increased|climb|climbed|hike|hiked|hikes
    concede|conceded|accept|accepted  inquiry|investigation|probe
    proportion|percent|percentage|share
    heading|leading|lead|led|chair|chaired|chairs  unplug|unplugged|disconnect|disconnected
    jab|jabs|dose|doses|vaccine|vaccines|vaccination  compo|compensation  compo|damages
    disagree|disagreed|dissent|dissented|dissenting
    jobs|employ|employs|employed|employment  break|breaks|broke|broken|fail|fails|failed
    sailor|sailors|seafarer|seafarers|seaman|seamen|mariner|mariners
    """.split())

# Shorthand readers type for what articles spell out, and Roman numerals of wars and monarchs.
SHORTHAND = {
    "ww2": ("world", "war", "2"), "wwii": ("world", "war", "2"),
    "ww1": ("world", "war", "1"), "wwi": ("world", "war", "1"),
    "ii": ("2",), "iii": ("3",),
    # Chat shorthand, as stems (tests/test_text.py checks each against its spelled-out form).
    "uni": ("universiti",), "govt": ("govern",), "gov": ("govern",),
    "pm": ("prime", "minist"), "un": ("unit", "nation"), "eu": ("europ", "union"),
    "uk": ("unit", "kingdom"), "usa": ("unit", "state"), "intl": ("internat",),
    "prof": ("expert",), "profs": ("expert",), "subs": ("submarin",),
    "ppl": ("peopl",), "cops": ("polic",), "cop": ("polic",), "yrs": ("year",),
    "ceo": ("chief", "execut"), "ceos": ("chief", "execut"),
    "co2": ("carbon", "dioxid"), "fx": ("foreign", "exchang"), "yr": ("year",),
    "desal": ("desalin",), "infra": ("infrastructur",), "admin": ("administr",),
    # Côte d'Ivoire is the Ivory Coast (and Ivorian, its demonym, already "ivory").
    "d'ivoire": ("ivori", "coast"), "d\u2019ivoire": ("ivori", "coast"),
    "divoire": ("ivori", "coast"),
}
