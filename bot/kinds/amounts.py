"""The figures that are amounts: sums of money (by currency, sign or code, in digits or in
words), shares, and quantities of a good in their unit. Patterns only; `bot.kinds.figures`
reads them."""

from __future__ import annotations

import re

# "How much" is answered by any sum of money or share ("$2 million", "40%"), whatever it is
# next to: "how much money is being spent on …" rarely says "money" beside the sum.
# The world's currencies by name: a site on Bangladesh pays in taka, one on Tunisia in dinars.
CURRENCIES = (r"dollars?|pounds?|euros?|yen|yuan|renminbi|rupees?|rupiah|taka|naira|cedis?|"
              r"shillings?|rand|kwacha|birr|dirhams?|dinars?|riyals?|rials?|lira|liras|"
              r"pesos?|reais|bolivars?|bolivianos?|soles|quetzals?|colones|"
              r"francs?|kron[aeo]r?|krona|zloty|zlotys|forints?|korunas?|lei|leu|lev|"
              r"hryvnias?|roubles?|rubles?|tenge|som|soms|lari|drams?|manats?|afghanis?|"
              r"baht|dong|won|ringgit|kyats?|kips?|riels?|tugriks?|ariary|"
              r"cfa|nakfa|leones?|dalasis?|ouguiyas?|pula|maloti|loti|emalangeni|kina|"
              r"vatu|tala|pa'anga|paanga|rufiyaa|ngultrum|"
              r"usd|eur|gbp|chf|jpy|cny|inr|bdt|ngn|kes|zar|egp|tnd|pkr|idr|php|vnd|brl|mxn|"
              r"cents?|pence|centavos?|centimes?|kopecks?|kopeks?|paise|sen")
# "6.9 US cents", "40 US dollars": the country before the currency.
OF_COUNTRY = r"(?:(?:US|U\.S\.|Hong\s+Kong|Singapore|Australian|Canadian|New\s+Zealand)\s+)?"
# ... or by its sign or code before the figure ("Tk 12,500", "Rs 400", "KSh 1,000").
CODES = r"(?:rs\.?|tk|ksh|r\$|rp|rm|usd|eur|gbp|chf|inr|bdt|ngn|kes|zar|idr|php|brl)"
SIGNS = r"[$\u00a3\u20ac\u00a5\u20b9\u20a6\u20a9\u20b1\u0e3f]"  # $ £ € ¥ ₹ ₦ ₩ ₱ ฿
SUM = re.compile(SIGNS + r"\s?\d|"
                 r"\b" + CODES + r"\s?\d|\d\s?(?:%|percent\b|per cent\b)|\b\d[\d,.]*\s?"
                 r"(?:(?:million|billion|trillion|bn|mn|m)\s+)?" + OF_COUNTRY + r"(?:"
                 + CURRENCIES + r")\b", re.I)
PERCENTAGE = re.compile(r"\d\s?(?:%|per\s?cent\b|percent\b)|\b(?:half|one[\s-]third|"
                        r"two[\s-]thirds|a\s+third|a\s+quarter|three[\s-]quarters|majority|minority|"
                        r"(?:one|two|three|four|\d+)\s+(?:in|out\s+of)\s+(?:\w+))\b", re.I)
# An amount of a good: "3.4 million tonnes", "1.5m barrels a day", "8,000 bales".
UNITS = (r"(?:tonnes?|tons?|t\b|barrels?|bpd|bales?|kg|kilo(?:gram)?s?|grams?|"
         r"litres?|liters?|gallons?|bushels?|cubic|m3|carats?|ounces?|oz|"
         r"megawatts?|gigawatts?|kilowatt\S*|mw|gw|gwh|twh|kwh|head|sacks?|bags?|crates?)\b")
QUANTITY = re.compile(r"\d[\d,.]*\s?(?:(?:million|billion|thousand|m|bn|mn)\s+)?(?:metric\s+)?"
                      + UNITS, re.I)
# A large figure is a sum of money unless its unit says what else it is ("1.5 billion
# kilowatt-hours").
LARGE_SUM = re.compile(r"\d[\d,.]*\s?(?:million|billion|trillion|bn|mn)\b(?!\s+(?:metric\s+)?"
                       + UNITS + ")", re.I)
# ... and one written in words ("two hundred million", "half a billion"); as a sum of money,
# with its currency ("about one billion dollars"): "two million litres" is no price.
WORDED_SUM = re.compile(r"\b(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|"
                        r"twelve|fifteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|"
                        r"ninety|several|few|half\s+a|hundreds\s+of|tens\s+of)"
                        r"(?:[\s-]+(?:hundred|thousand))?[\s-]+(?:million|billion|trillion)\b",
                        re.I)
WORDED_MONEY = re.compile(WORDED_SUM.pattern + r"[\s-]+" + OF_COUNTRY + r"(?:" + CURRENCIES
                          + r")\b", re.I)
# A sum of money, whatever it is next to, counts nothing: "95,000 naira for teachers" does
# not say how many teachers there are.
MONEY_FIGURE = re.compile(SIGNS + r"\s?(\d[\d,.]*)|"
                          r"\b" + CODES + r"\s?(\d[\d,.]*)|\b(\d[\d,.]*)[\s-]?(?:(?:million|"
                          r"billion|trillion|bn|mn|m)[\s-]+)?" + OF_COUNTRY + r"(?:" + CURRENCIES
                          + r")\b", re.I)
