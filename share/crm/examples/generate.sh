#!/bin/sh
# generate.sh - writes the sample company into share/crm/examples: Nordlicht
# Software sells to a few hundred companies (group hierarchies included)
# from 2025-12 to 2026-11. Deterministic (seeded), so running it again
# gives the committed files byte for byte:
#
#   companies.csv     companies, parents before their subsidiaries
#   contacts.csv      people at those companies, some entered twice
#   leads.csv         web, event, partner ... leads; some idle, some new
#                     and unassigned, some converted, some duplicates of
#                     contacts (at the end)
#   deals.csv         deals in the default and renewals pipelines, then the
#                     deals opened from converted leads (lead_id); its last
#                     rows close some of those (stage, closed_at), as a
#                     later export would: an update, kept in deal history
#   tickets.csv       support tickets, some past their SLA targets
#   activities.ndjson calls, emails, meetings, web events and tasks,
#                     linked to contacts, leads (lead_id), deals (deal_id)
#   reporting.csv     reporting lines (email, reports_to) at a key account
#   roles.csv         contact roles on its biggest open deal
#
# Import them in that order into an empty database (demo.sh does): leads,
# deals and tickets get the ids 1, 2, 3 ... in file order, which the
# lead_id and deal_id of activities.ndjson refer to.
#
# The demo's "now" is 2026-11-23T02:00:00Z (nightly.sh's run at 02:00 on
# a Monday); nothing in the data is later than that.
set -eu
out=${1:-$(cd "$(dirname "$0")" && pwd)}
exec python3 - "$out" <<'PY'
import csv, json, random, sys, unicodedata
from datetime import datetime, timedelta, timezone

out = sys.argv[1]
R = random.Random(11)
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=timezone.utc)
START = datetime(2025, 12, 1, 8, 0, tzinfo=timezone.utc)

def iso(t):
    return t.strftime('%Y-%m-%dT%H:%M:%SZ')

def between(a, b):
    """A working-hours time between a and b (UTC)."""
    s = int((b - a).total_seconds())
    t = a + timedelta(seconds=R.randrange(max(s, 1)))
    return t.replace(hour=R.randrange(7, 18), minute=R.randrange(60), second=0)

def write_csv(name, fields, rows):
    with open(f'{out}/{name}', 'w', newline='', encoding='utf-8') as f:
        w = csv.DictWriter(f, fieldnames=fields, lineterminator='\n')
        w.writeheader()
        for r in rows:
            w.writerow({k: ('' if r.get(k) is None else r[k]) for k in fields})

# -- people ---------------------------------------------------------------
# (display, ascii) pairs so that emails stay ASCII for every language
LOCALES = {
    'en': dict(first=['James', 'Mary', 'Robert', 'Patricia', 'John', 'Jennifer', 'Michael', 'Linda', 'William', 'Elizabeth', 'David', 'Susan', 'Richard', 'Jessica', 'Thomas', 'Sarah', 'Daniel', 'Karen', 'Matthew', 'Emily', 'Andrew', 'Rebecca', 'Katherine', 'Robert'],
               last=['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Miller', 'Davis', 'Wilson', 'Anderson', 'Taylor', 'Moore', 'Jackson', 'White', 'Harris', 'Clark', 'Lewis', 'Walker', 'Hall', 'Young', 'King', 'Wright', 'Scott', 'Green', 'Baker', 'Adams', 'Nelson', 'Carter', 'Mitchell', 'Okafor', 'Patel']),
    'de': dict(first=['Lukas', 'Anna', 'Jürgen', 'Katrin', 'Stefan', 'Sabine', 'Matthias', 'Julia', 'Thomas', 'Birgit', 'Jörg', 'Ute', 'Andreas', 'Claudia', 'Maximilian', 'Lena'],
               last=['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Schulz', 'Hoffmann', 'Schäfer', 'Koch', 'Bauer', 'Richter', 'Klein', 'Wolf', 'Schröder', 'Neumann', 'Größer', 'Krüger']),
    'fr': dict(first=['Camille', 'Léa', 'Hugo', 'Chloé', 'Louis', 'Manon', 'Gabriel', 'Inès', 'Théo', 'Élodie', 'Jérôme', 'Amélie', 'François', 'Hélène'],
               last=['Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau', 'Simon', 'Laurent', 'Lefèvre', 'Girard', 'Fontaine', 'Chevalier']),
    'pt': dict(first=['João', 'Maria', 'António', 'Ana', 'José', 'Inês', 'Tiago', 'Beatriz', 'Rui', 'Sofia', 'Gonçalo', 'Margarida', 'Luís', 'Leonor'],
               last=['Silva', 'Santos', 'Ferreira', 'Pereira', 'Oliveira', 'Costa', 'Rodrigues', 'Martins', 'Sousa', 'Fernandes', 'Gonçalves', 'Gomes', 'Lopes', 'Marques', 'Carvalho', 'Conceição']),
    'es': dict(first=['Alejandro', 'Lucía', 'Javier', 'María', 'Carlos', 'Carmen', 'Pablo', 'Elena', 'Sergio', 'Paula', 'Íñigo', 'Begoña'],
               last=['García', 'Fernández', 'González', 'Rodríguez', 'López', 'Martínez', 'Sánchez', 'Pérez', 'Gómez', 'Martín', 'Jiménez', 'Ruiz', 'Muñoz', 'Peña']),
    'ja': dict(first=[('花子', 'hanako'), ('太郎', 'taro'), ('陽菜', 'hina'), ('健太', 'kenta'), ('美咲', 'misaki'), ('翔', 'sho'), ('由美', 'yumi'), ('大輔', 'daisuke'), ('さくら', 'sakura'), ('拓也', 'takuya')],
               last=[('佐藤', 'sato'), ('鈴木', 'suzuki'), ('高橋', 'takahashi'), ('田中', 'tanaka'), ('伊藤', 'ito'), ('渡辺', 'watanabe'), ('山本', 'yamamoto'), ('中村', 'nakamura'), ('小林', 'kobayashi'), ('加藤', 'kato')]),
    'zh': dict(first=[('伟', 'wei'), ('芳', 'fang'), ('娜', 'na'), ('敏', 'min'), ('静', 'jing'), ('丽', 'li'), ('强', 'qiang'), ('磊', 'lei'), ('军', 'jun'), ('洋', 'yang'), ('艳', 'yan'), ('勇', 'yong'), ('杰', 'jie'), ('娟', 'juan'), ('涛', 'tao'), ('明', 'ming'), ('超', 'chao'), ('秀英', 'xiuying'), ('桂英', 'guiying'), ('建华', 'jianhua')],
               last=[('王', 'wang'), ('李', 'li'), ('张', 'zhang'), ('刘', 'liu'), ('陈', 'chen'), ('杨', 'yang'), ('黄', 'huang'), ('赵', 'zhao'), ('吴', 'wu'), ('周', 'zhou'), ('徐', 'xu'), ('孙', 'sun'), ('马', 'ma'), ('朱', 'zhu'), ('胡', 'hu'), ('郭', 'guo')]),
}
NICK = {'William': 'Bill', 'Robert': 'Bob', 'Katherine': 'Kate', 'Elizabeth': 'Liz',
        'Michael': 'Mike', 'Thomas': 'Tom', 'Andrew': 'Andy', 'Richard': 'Rick',
        'Jennifer': 'Jen', 'Matthew': 'Matt', 'Daniel': 'Dan', 'Rebecca': 'Becky',
        'Alejandro': 'Álex', 'Maximilian': 'Max', 'Francisco': 'Paco', 'José': 'Zé'}

def asc(s):
    s = s.replace('ß', 'ss').replace('ü', 'ue').replace('ö', 'oe').replace('ä', 'ae')
    s = unicodedata.normalize('NFKD', s).encode('ascii', 'ignore').decode()
    return s.lower().replace(' ', '').replace("'", '')

def person(loc):
    p = LOCALES[loc]
    f, l = R.choice(p['first']), R.choice(p['last'])
    if isinstance(f, tuple):
        return f[0], l[0], f[1], l[1]
    return f, l, asc(f), asc(l)

# country: locale, region, phone prefix, city, currency, tld
COUNTRIES = {
    'US': ('en', 'Americas', '+1 415 555', ['San Francisco', 'Austin', 'Boston', 'Chicago'], 'USD', 'com'),
    'CA': ('en', 'Americas', '+1 416 555', ['Toronto', 'Vancouver', 'Montréal'], 'CAD', 'ca'),
    'BR': ('pt', 'Americas', '+55 11', ['São Paulo', 'Rio de Janeiro'], 'BRL', 'com.br'),
    'MX': ('es', 'Americas', '+52 55', ['Ciudad de México', 'Guadalajara'], 'MXN', 'com.mx'),
    'GB': ('en', 'EMEA', '+44 20 7946', ['London', 'Manchester', 'Edinburgh'], 'GBP', 'co.uk'),
    'DE': ('de', 'EMEA', '+49 30', ['Berlin', 'München', 'Hamburg', 'Köln'], 'EUR', 'de'),
    'FR': ('fr', 'EMEA', '+33 1', ['Paris', 'Lyon', 'Toulouse'], 'EUR', 'fr'),
    'PT': ('pt', 'EMEA', '+351 21', ['Lisboa', 'Porto', 'Braga'], 'EUR', 'pt'),
    'ES': ('es', 'EMEA', '+34 91', ['Madrid', 'Barcelona', 'Valencia'], 'EUR', 'es'),
    'CN': ('zh', 'APAC', '+86 10', ['北京', '上海', '深圳', '杭州'], 'CNY', 'cn'),
    'JP': ('ja', 'APAC', '+81 3', ['東京', '大阪', '横浜'], 'JPY', 'jp'),
}
# weights: where the customers are
CWEIGHT = {'US': 14, 'CA': 4, 'BR': 4, 'MX': 3, 'GB': 10, 'DE': 14, 'FR': 8, 'PT': 8, 'ES': 6, 'CN': 10, 'JP': 7}

phone_seq = [1000]
def phone(country):
    phone_seq[0] += R.randrange(1, 7)
    n = phone_seq[0]
    pre = COUNTRIES[country][2]
    if country == 'US':
        return f'+1 {415 + n // 10000} 555 {n % 10000:04d}'
    if country == 'CA':
        return f'+1 {647 + n // 10000} 555 {n % 10000:04d}'
    if country == 'GB':
        return f'+44 20 {7946 + n // 10000} {n % 10000:04d}'
    return f'{pre} {n // 1000:03d} {n % 1000:04d}'

def reformat_phone(p):
    """The same number as someone else would type it."""
    digits = ''.join(c for c in p if c.isdigit())
    return '00' + digits if R.random() < .5 else '+' + digits

# -- companies ------------------------------------------------------------
STEMS = {
    'en': ['Ashford', 'Blackwell', 'Cobalt', 'Driftwood', 'Fairview', 'Glenmore', 'Hawthorne', 'Juniper', 'Larkspur', 'Millbrook', 'Pinecrest', 'Riverside', 'Northwind', 'Bluepeak', 'Ironwood', 'Silverline', 'Redstone', 'Brightwater', 'Oakridge', 'Stonebridge', 'Clearfield', 'Harbor', 'Summit', 'Lakeside', 'Granite', 'Evergreen', 'Foxglove', 'Kestrel', 'Maplewood', 'Westbrook', 'Copperleaf', 'Highgate'],
    'de': ['Bergmann', 'Donautal', 'Feldberg', 'Isarwerk', 'Nordstern', 'Alpenblick', 'Rheintal', 'Waldhof', 'Sonnenberg', 'Brückner', 'Eisenwerk', 'Lindenau', 'Hafenkraft', 'Elbufer', 'Schwarzwald', 'Kästner'],
    'fr': ['Lumière', 'Château', 'Rivage', 'Montclair', 'Beaulieu', 'Belle Étoile', 'Valmont', 'Clairval', 'Saint-Honoré', 'Marée'],
    'pt': ['Atlântico', 'Tejo', 'Douro', 'Estrela', 'Alvorada', 'Ribeira', 'Farol', 'Mondego', 'Serra Azul', 'Lusitânia'],
    'es': ['Ibérica', 'Sierra', 'Mediterráneo', 'Aurora', 'Cantábrico', 'Alborán', 'Guadiana', 'Montaña Real'],
    'ja': [('さくら', 'sakura'), ('富士', 'fuji'), ('青空', 'aozora'), ('光', 'hikari'), ('大和', 'yamato'), ('東海', 'tokai'), ('朝日', 'asahi'), ('銀河', 'ginga')],
    'zh': [('星辰', 'xingchen'), ('云帆', 'yunfan'), ('华光', 'huaguang'), ('长城', 'changcheng'), ('东方', 'dongfang'), ('金桥', 'jinqiao'), ('天元', 'tianyuan'), ('瑞丰', 'ruifeng'), ('海川', 'haichuan'), ('新航', 'xinhang')],
}
SECTORS = [  # (industry, en, de, fr, pt, es, ja, zh)
    ('software', 'Software', 'Software', 'Logiciels', 'Software', 'Software', ('ソフト', 'soft'), ('软件', 'ruanjian')),
    ('saas', 'Cloud', 'Cloud', 'Cloud', 'Cloud', 'Nube', ('クラウド', 'cloud'), ('云计算', 'yun')),
    ('fintech', 'Payments', 'Zahlungen', 'Paiements', 'Pagamentos', 'Pagos', ('ペイ', 'pay'), ('支付', 'zhifu')),
    ('healthcare', 'Health', 'Gesundheit', 'Santé', 'Saúde', 'Salud', ('メディカル', 'medical'), ('医疗', 'yiliao')),
    ('manufacturing', 'Manufacturing', 'Maschinenbau', 'Industrie', 'Indústria', 'Industrial', ('製作所', 'seisakusho'), ('制造', 'zhizao')),
    ('logistics', 'Logistics', 'Logistik', 'Logistique', 'Logística', 'Logística', ('物流', 'butsuryu'), ('物流', 'wuliu')),
    ('retail', 'Retail', 'Handel', 'Distribution', 'Comércio', 'Comercio', ('商事', 'shoji'), ('商贸', 'shangmao')),
    ('energy', 'Energy', 'Energie', 'Énergie', 'Energia', 'Energía', ('電力', 'denryoku'), ('能源', 'nengyuan')),
    ('education', 'Learning', 'Bildung', 'Formation', 'Educação', 'Formación', ('教育', 'kyoiku'), ('教育', 'jiaoyu')),
]
LEGAL = {'US': ['Inc.', 'LLC', 'Corp.'], 'CA': ['Inc.', 'Ltd.'], 'GB': ['Ltd', 'plc'],
         'DE': ['GmbH', 'AG', 'GmbH & Co. KG'], 'FR': ['SAS', 'SARL', 'S.A.'],
         'PT': ['Lda', 'S.A.'], 'ES': ['S.L.', 'S.A.'], 'BR': ['Ltda.', 'S.A.'],
         'MX': ['S.A. de C.V.'], 'JP': ['株式会社'], 'CN': ['有限公司', '股份有限公司']}
CITY_ZH = {'北京': 'beijing', '上海': 'shanghai', '深圳': 'shenzhen', '杭州': 'hangzhou'}
OWNERS = ['maria', 'tom', 'ana', 'ben', 'chloe', 'dev', 'eli', 'pat']

used_names = set()
def company_name(country, sector=None):
    loc = COUNTRIES[country][0]
    for _ in range(1000):
        stem = R.choice(STEMS[loc])
        sec = sector or R.choice(SECTORS)
        col = {'en': 1, 'de': 2, 'fr': 3, 'pt': 4, 'es': 5, 'ja': 6, 'zh': 7}[loc]
        word = sec[col]
        legal = R.choice(LEGAL[country])
        if loc == 'zh':
            city = R.choice(COUNTRIES[country][3])
            name = f'{city}{stem[0]}{word[0]}{legal}'
            slug = f'{stem[1]}-{word[1]}'
        elif loc == 'ja':
            name = f'{legal}{stem[0]}{word[0]}' if R.random() < .5 else f'{stem[0]}{word[0]}{legal}'
            slug = f'{stem[1]}-{word[1]}'
        else:
            name = f'{stem} {word} {legal}'
            slug = f'{asc(stem).replace("-", "")}-{asc(word)}'
        key = slug
        if key not in used_names:
            used_names.add(key)
            return name, slug, sec[0]
    raise SystemExit('out of company names')

companies = []
def add_company(country, parent=None, sector=None, name=None, slug=None):
    n = len(companies) + 1
    if name is None:
        name, slug, industry = company_name(country, sector)
    else:
        industry = sector[0] if sector else 'software'
        used_names.add(slug)
    cur = COUNTRIES[country][4]
    emp = int(R.lognormvariate(4.5, 1.3)) + 5
    rev = emp * R.randrange(80, 260) * 1000
    if cur == 'JPY':
        rev *= 150
    elif cur == 'CNY':
        rev *= 7
    c = dict(external_id=f'co-{n:04d}', name=name,
             domain=f'{slug}.{COUNTRIES[country][5]}', industry=industry,
             employees=emp, annual_revenue=f'{rev}', currency=cur,
             region=COUNTRIES[country][1], country=country,
             parent=parent['external_id'] if parent else None,
             owner=R.choice(OWNERS), tags=None,
             created_at=iso(between(START, START + timedelta(days=200))))
    companies.append(c)
    return c

def pick_country():
    return R.choices(list(CWEIGHT), weights=list(CWEIGHT.values()))[0]

# 36 groups: a holding, subsidiaries abroad, some with their own
for g in range(36):
    home = pick_country()
    loc = COUNTRIES[home][0]
    for _ in range(100):
        stem = R.choice(STEMS[loc])
        slug = (stem[1] if isinstance(stem, tuple) else asc(stem).replace('-', '')) + '-group'
        if slug not in used_names:
            break
    st = stem[0] if isinstance(stem, tuple) else stem
    name = {'en': f'{st} Group plc', 'de': f'{st} Holding AG', 'fr': f'Groupe {st} SA',
            'pt': f'Grupo {st} SGPS, S.A.', 'es': f'Grupo {st} S.A.',
            'ja': f'{st}ホールディングス株式会社', 'zh': f'{st}集团有限公司'}[loc]
    top = add_company(home, name=name, slug=slug, sector=R.choice(SECTORS))
    top['tags'] = 'group'
    if home in ('CN', 'JP'):
        top['employees'] *= 20
    for s in range(R.randrange(2, 6)):
        sub = add_company(home if R.random() < .5 else pick_country(), top)
        if R.random() < .3:
            for _ in range(R.randrange(1, 3)):
                add_company(sub['country'], sub)
while len(companies) < 320:
    add_company(pick_country())
for c in R.sample(companies, 40):
    c['tags'] = ','.join(sorted(set(filter(None, [c['tags'], R.choice(['key-account', 'partner', 'at-risk'])]))))

# -- contacts -------------------------------------------------------------
TITLES = ['CEO', 'CTO', 'CFO', 'VP Sales', 'VP Engineering', 'Head of IT', 'Director of Operations',
          'Procurement Manager', 'IT Manager', 'Sales Manager', 'Engineer', 'Analyst', 'Buyer',
          'Office Manager', 'Marketing Lead', 'Support Lead', 'Consultant', 'Intern']
SOURCES = ['web', 'event', 'referral', 'partner', 'ads', 'cold_call', 'webinar']
STAGES = ['subscriber', 'lead', 'marketing_qualified_lead', 'sales_qualified_lead',
          'opportunity', 'customer', 'evangelist']

contacts, emails = [], set()
def email_for(f, l, domain):
    for i in range(100):
        local = R.choice([f'{f}.{l}', f'{f[0]}{l}', f'{f}', f'{l}.{f}'])
        e = f'{local}{i or ""}@{domain}'
        if e not in emails:
            emails.add(e)
            return e

for c in companies:
    n = max(2, min(40, int(R.lognormvariate(2.0, .8))))
    loc = COUNTRIES[c['country']][0]
    for _ in range(n):
        k = len(contacts) + 1
        l2 = loc if R.random() < .85 else R.choice(list(LOCALES))
        f, l, fa, la = person(l2)
        city = R.choice(COUNTRIES[c['country']][3])
        created = between(START, NOW - timedelta(days=3))
        contacts.append(dict(
            external_id=f'crm-{k}', first_name=f, last_name=l,
            email=email_for(fa, la, c['domain']),
            phone=phone(c['country']) if R.random() < .85 else None,
            company=c['name'], title=R.choice(TITLES), city=city,
            region=c['region'], country=c['country'],
            source=R.choice(SOURCES), owner=c['owner'],
            tags='vip' if R.random() < .05 else None,
            lifecycle_stage=R.choices(STAGES, weights=[5, 10, 8, 6, 5, 10, 1])[0],
            created_at=iso(created), _company=c, _fa=fa, _la=la))
        if len(contacts) >= 3000:
            break
    if len(contacts) >= 3000:
        break

# duplicates: the same person typed again by someone else (a trade-show
# list, an old CRM): nickname or typo, personal email or none, the phone
# written differently
TYPO = lambda s: s[:-2] + s[-1] + s[-2] if len(s) > 3 and s.isascii() else s
for i, src in enumerate(R.sample([c for c in contacts if c['phone']], 60)):
    d = dict(src)
    k = len(contacts) + 1
    d['external_id'] = f'fair-{i + 1}'
    if d['first_name'] in NICK and R.random() < .7:
        d['first_name'] = NICK[d['first_name']]
    elif R.random() < .4:
        d['last_name'] = TYPO(d['last_name'])
    r = R.random()
    if r < .4:
        d['email'] = None
    elif r < .8:
        d['email'] = f"{d['_fa']}.{d['_la']}{R.randrange(10, 99)}@{R.choice(['gmail.com', 'outlook.com', 'gmx.com'])}"
    else:
        d['email'] = d['email'].replace('@', '.old@', 1)
    d['phone'] = reformat_phone(d['phone'])
    d['title'] = R.choice([d['title'], None])
    d['lifecycle_stage'] = 'lead'
    d['source'] = 'event'
    d['created_at'] = iso(between(datetime(2026, 9, 1, tzinfo=timezone.utc), NOW - timedelta(days=2)))
    contacts.append(d)
write_csv('contacts.csv', ['external_id', 'first_name', 'last_name', 'email', 'phone', 'company',
                           'title', 'city', 'region', 'country', 'source', 'owner', 'tags',
                           'lifecycle_stage', 'created_at'], contacts)
write_csv('companies.csv', ['external_id', 'name', 'domain', 'industry', 'employees',
                            'annual_revenue', 'currency', 'region', 'country', 'parent',
                            'owner', 'tags', 'created_at'], companies)

# -- leads ----------------------------------------------------------------
# Owners by region as the assignment rules route them.
REGION_OWNERS = {'EMEA': ['ana', 'ben', 'chloe'], 'Americas': ['dev', 'eli'], 'APAC': ['maria', 'tom']}
CAMPAIGNS = ['spring-webinar', 'cebit-2026', 'web-summit-2026', 'partner-q3', 'google-ads', 'newsletter']
NOTES = ['asked for a demo', 'pricing question', 'downloaded the whitepaper', None, None, 'wants a demo next week']
leads, activities = [], []
# companies that are not customers yet: several leads may come from one
prospects = []
for i in range(220):
    country = pick_country()
    name, slug, _ = company_name(country)
    prospects.append(dict(name=name, domain=f'{slug}.{COUNTRIES[country][5]}', country=country))

def act(**kw):
    kw = {k: v for k, v in kw.items() if v is not None}
    activities.append(kw)

for i in range(1200):
    country = pick_country()
    if R.random() < .3:
        co = R.choice(companies)
    else:
        co = R.choice(prospects)
    cname, domain, country = co['name'], co['domain'], co['country']
    loc = COUNTRIES[country][0]
    f, l, fa, la = person(loc)
    if R.random() < .08:
        domain = R.choice(['gmail.com', 'yahoo.com', 'outlook.com'])
    created = between(START, NOW - timedelta(days=1))
    age = (NOW - created).days
    lead = dict(external_id=f'web-{i + 1}', first_name=f, last_name=l,
                email=email_for(fa, la, domain),
                phone=phone(country) if R.random() < .6 else None,
                company=cname, title=R.choice(TITLES),
                industry=R.choice(SECTORS)[0], region=COUNTRIES[country][1],
                country=country, source=R.choice(SOURCES),
                campaign=R.choice(CAMPAIGNS), status=None, status_reason=None, owner=None,
                assigned_at=None, created_at=iso(created),
                employees=int(R.lognormvariate(4, 1.4)) + 1,
                budget=R.choice([None, None, 500, 5000, 20000, 80000]),
                notes=R.choice(NOTES))
    owner = R.choice(REGION_OWNERS[lead['region']])
    kind = R.random()
    if age <= 4 and kind < .7:
        pass  # new and unassigned: tonight's assign takes them
    elif age > 21 and kind < .85:
        lead['status'] = 'nurturing' if kind < .1 else 'unqualified'
        lead['owner'] = owner if lead['status'] == 'nurturing' else None
        if lead['status'] == 'unqualified':
            lead['status_reason'] = R.choice(['no budget', 'student', 'competitor', 'no reply'])
    else:
        lead['status'] = R.choice(['new', 'working', 'working', 'qualified'])
        lead['owner'] = owner
    if lead['owner']:
        assigned = created + timedelta(hours=R.randrange(1, 30))
        if assigned > NOW - timedelta(hours=2):
            assigned = NOW - timedelta(hours=2)
        lead['assigned_at'] = iso(assigned)
        # idle: nobody worked it for more than a week (about one in 12);
        # the rest were touched within the last week
        idle = R.random() < .08
        last = NOW - timedelta(days=R.randrange(9, 40) if idle else R.randrange(0, 6),
                               hours=R.randrange(1, 12))
        if last > assigned and (NOW - assigned).days > 1:
            t = assigned
            n = R.randrange(1, 5)
            for j in range(n):
                t = assigned + (last - assigned) * (j + 1) / n
                act(external_id=f'la-{len(activities) + 1}',
                    type=R.choice(['call', 'email', 'email', 'meeting']),
                    direction='out', subject=R.choice(['intro call', 'follow-up', 'sent pricing', 'demo']),
                    occurred_at=iso(t), owner=lead['owner'], lead_id=i + 1)
    # marketing touches (no owner) for engagement scoring
    for j in range(R.randrange(0, 4)):
        act(external_id=f'lm-{len(activities) + 1}',
            type=R.choice(['email_open', 'email_click', 'web_visit', 'form_submit']),
            direction='in', subject=lead['campaign'],
            occurred_at=iso(between(created, min(NOW, created + timedelta(days=20)))), lead_id=i + 1)
    leads.append(lead)

# duplicates at the end (the ids above stay 1..1200): the same people
# from another list, matching a contact or a lead by email or phone
for i, src in enumerate(R.sample(contacts[:3000], 15)):
    leads.append(dict(external_id=f'list-{i + 1}', first_name=src['first_name'],
                      last_name=src['last_name'], email=src['email'],
                      company=src['company'], country=src['country'],
                      region=src['region'], source='event', campaign='web-summit-2026',
                      created_at=iso(NOW - timedelta(days=1, hours=i))))
for i, src in enumerate(R.sample(leads[:1200], 15)):
    leads.append(dict(external_id=f'list-{i + 16}', first_name=src['first_name'],
                      last_name=src['last_name'], email=src['email'].upper(),
                      company=src['company'], country=src['country'],
                      region=src['region'], source='event', campaign='web-summit-2026',
                      created_at=iso(NOW - timedelta(days=1, hours=i))))
# some qualified leads at customer companies were converted, and a deal
# opened from each (below); a random stream of their own keeps the rest of
# the data as it was
R2 = random.Random(16)
company_by_name = {c['name']: c for c in companies}
converted = []
for i, lead in enumerate(leads[:1200]):
    if i < 10 or lead['status'] != 'qualified' or lead['company'] not in company_by_name:
        continue
    assigned = datetime.strptime(lead['assigned_at'], '%Y-%m-%dT%H:%M:%SZ').replace(tzinfo=timezone.utc)
    if (NOW - assigned).days < 30 or R2.random() < .3:
        continue
    conv = assigned + timedelta(days=R2.randrange(2, 20), hours=R2.randrange(0, 8))
    lead['status'] = 'converted'
    lead['converted_at'] = iso(conv)
    converted.append((i + 1, lead, company_by_name[lead['company']], conv))
write_csv('leads.csv', ['external_id', 'first_name', 'last_name', 'email', 'phone', 'company',
                        'title', 'industry', 'region', 'country', 'source', 'campaign',
                        'status', 'status_reason', 'owner', 'assigned_at', 'employees', 'budget', 'notes',
                        'created_at', 'converted_at'], leads)

# -- deals ----------------------------------------------------------------
PRODUCTS = ['platform', 'support plan', 'onboarding', 'analytics add-on', 'seats expansion', 'API access']
OPEN_STAGES = ['prospecting', 'qualification', 'needs_analysis', 'proposal', 'negotiation']
LOST = ['budget', 'chose a competitor', 'no decision', 'timing', 'price']
deals = []
by_company = {}
for c in contacts[:3000]:
    by_company.setdefault(c['_company']['external_id'], []).append(c)
for i in range(520):
    co = R.choice(companies)
    people = by_company.get(co['external_id'])
    if not people:
        continue
    who = R.choice(people)
    created = between(START, NOW - timedelta(days=2))
    renewal = R.random() < .15
    cur = co['currency']
    amount = R.choice([3, 5, 8, 12, 20, 35, 60, 120]) * 1000 + R.randrange(0, 10) * 100
    if cur == 'JPY':
        amount *= 150
    d = dict(external_id=f'deal-{i + 1}', name=f"{co['name']} – {R.choice(PRODUCTS)}",
             company=co['external_id'], contact=who['email'],
             pipeline='renewals' if renewal else 'default', stage=None,
             amount=amount, currency=cur, expected_close=None,
             owner=co['owner'], source=who['source'], close_reason=None,
             closed_at=None, stage_changed_at=None, created_at=iso(created))
    age = (NOW - created).days
    r = R.random()
    if age > 45 and r < .55:
        won = R.random() < .45
        closed = between(created + timedelta(days=20), min(NOW - timedelta(days=1), created + timedelta(days=120)))
        d['stage'] = ('renewed' if won else 'churned') if renewal else ('closed_won' if won else 'closed_lost')
        d['close_reason'] = R.choice(['best fit', 'price', 'relationship']) if won else R.choice(LOST)
        d['closed_at'] = d['stage_changed_at'] = iso(closed)
        d['expected_close'] = closed.strftime('%Y-%m-%d')
        last = closed
    else:
        d['stage'] = R.choice(['upcoming', 'quoted']) if renewal else R.choice(OPEN_STAGES)
        stale = R.random() < .18
        changed = between(max(created, NOW - timedelta(days=90 if stale else 12)), NOW - timedelta(days=40 if stale else 1))
        if changed < created:
            changed = created
        d['stage_changed_at'] = iso(changed)
        d['expected_close'] = (NOW + timedelta(days=R.randrange(-10, 200))).strftime('%Y-%m-%d')
        last = changed if stale else NOW - timedelta(days=R.randrange(0, 5), hours=R.randrange(1, 20))
    n = R.randrange(1, 6)
    for j in range(n):
        t = created + (last - created) * (j + 1) / n
        act(external_id=f'da-{len(activities) + 1}', type=R.choice(['call', 'email', 'meeting', 'note']),
            direction='out', subject=R.choice(['discovery call', 'proposal sent', 'pricing review', 'legal review', 'check-in']),
            occurred_at=iso(t), owner=d['owner'], contact_external_id=who['external_id'], deal_id=len(deals) + 1)
    deals.append(d)
# the deals opened from converted leads (lead_id), after the others (whose
# ids the activities use); those since won or lost close in a second row
# at the end, as a later export of the same deal: it left its stage when
# it closed, which the stages report measures
closings = []
for n, (lead_id, lead, co, conv) in enumerate(converted):
    amount = R2.choice([5, 8, 12, 20, 35]) * 1000
    if co['currency'] == 'JPY':
        amount *= 150
    d = dict(external_id=f'lead-deal-{n + 1}', name=f"{co['name']} – {R2.choice(PRODUCTS)}",
             company=co['external_id'], pipeline='default',
             stage=R2.choice(['qualification', 'needs_analysis', 'proposal']),
             amount=amount, currency=co['currency'], owner=lead['owner'], source=lead['source'],
             lead_id=lead_id, stage_changed_at=iso(conv), created_at=iso(conv))
    close = conv + timedelta(days=R2.randrange(10, 60), hours=R2.randrange(0, 8))
    r = R2.random()
    if close < NOW - timedelta(days=1) and r < .8:
        won = r < .5
        d['expected_close'] = close.strftime('%Y-%m-%d')
        closings.append(dict(external_id=d['external_id'], stage='closed_won' if won else 'closed_lost',
                             close_reason=R2.choice(['best fit', 'relationship']) if won else R2.choice(LOST),
                             closed_at=iso(close)))
    else:
        d['expected_close'] = (NOW + timedelta(days=R2.randrange(10, 120))).strftime('%Y-%m-%d')
    deals.append(d)
deals.extend(closings)
write_csv('deals.csv', ['external_id', 'name', 'company', 'contact', 'pipeline', 'stage', 'amount',
                        'currency', 'expected_close', 'owner', 'source', 'close_reason',
                        'closed_at', 'stage_changed_at', 'created_at', 'lead_id'], deals)

# -- tickets --------------------------------------------------------------
SUBJECTS = ['Cannot log in', 'Invoice shows the wrong VAT', 'Export to CSV times out',
            'How do I add a user?', 'API returns 500', 'Password reset mail never arrives',
            'Sync with calendar stopped', 'Request: dark mode', 'Data import failed on row 12',
            'Report totals do not match', '无法登录系统', '請求書の金額が違います',
            'Die Rechnung fehlt', 'Erreur lors de l’export', 'Não consigo anexar ficheiros']
AGENTS = ['agent1', 'agent2', 'agent3']
tickets = []
customers = [c for c in contacts[:3000] if c['lifecycle_stage'] in ('customer', 'evangelist', 'opportunity')]
for i in range(700):
    who = R.choice(customers)
    # the support load grew: a tenth of the year's tickets came in the
    # last three weeks
    created = between(START if i < 620 else NOW - timedelta(days=21), NOW - timedelta(hours=10))
    age = NOW - created
    pr = R.choices(['low', 'normal', 'high', 'urgent'], weights=[15, 60, 20, 5])[0]
    t = dict(external_id=f'zd-{10000 + i}', subject=R.choice(SUBJECTS),
             description='Reported by the customer.', contact=who['email'],
             channel=R.choice(['email', 'email', 'web', 'phone', 'chat']), priority=pr,
             status=None, assignee=None, team='support', first_response_at=None,
             solved_at=None, closed_at=None, created_at=iso(created))
    if age.days > 14 or R.random() < .6:
        # answered and solved; about one in ten answered late
        late = R.random() < .1
        first = created + timedelta(minutes=R.randrange(600, 3000) if late else R.randrange(10, 200))
        solved = first + timedelta(hours=R.randrange(1, 72))
        if solved > NOW - timedelta(hours=1):
            solved = NOW - timedelta(hours=1)
        if first > solved:
            first = solved
        t.update(assignee=R.choice(AGENTS), first_response_at=iso(first), solved_at=iso(solved),
                 status='closed' if (NOW - solved).days > 7 else 'solved')
        if t['status'] == 'closed':
            t['closed_at'] = iso(solved + timedelta(days=7))
    else:
        r = R.random()
        if r < .35:
            t['status'] = 'new'  # nobody has looked at it: breaches
        elif r < .7:
            first = created + timedelta(minutes=R.randrange(10, 300))
            if first > NOW:
                first = NOW - timedelta(minutes=5)
            t.update(status='open', assignee=R.choice(AGENTS), first_response_at=iso(first))
        else:
            first = created + timedelta(minutes=R.randrange(10, 300))
            if first > NOW:
                first = NOW - timedelta(minutes=5)
            t.update(status='pending', assignee=R.choice(AGENTS), first_response_at=iso(first))
    tickets.append(t)
write_csv('tickets.csv', ['external_id', 'subject', 'description', 'contact', 'channel', 'priority',
                          'status', 'assignee', 'team', 'first_response_at', 'solved_at',
                          'closed_at', 'created_at'], tickets)

# -- contact activities: the background of a year's work ------------------
for c in R.sample(contacts[:3000], 1500):
    t0 = datetime.strptime(c['created_at'], '%Y-%m-%dT%H:%M:%SZ').replace(tzinfo=timezone.utc)
    for j in range(R.randrange(1, 4)):
        typ = R.choice(['call', 'email', 'email', 'meeting', 'note', 'web_visit'])
        act(external_id=f'ca-{len(activities) + 1}', type=typ,
            direction='in' if typ == 'web_visit' else R.choice(['in', 'out']),
            subject=R.choice(['quarterly check-in', 'newsletter reply', 'visited pricing page', 'intro', 'feedback']),
            occurred_at=iso(between(t0, NOW - timedelta(hours=3))), owner=None if typ == 'web_visit' else c['owner'],
            contact_external_id=c['external_id'])
# open tasks, some overdue
for i, c in enumerate(R.sample(contacts[:3000], 120)):
    due = NOW + timedelta(days=R.randrange(-10, 20))
    act(external_id=f'task-{i + 1}', type='task', subject=R.choice(['send contract', 'call back', 'prepare QBR', 'renewal reminder']),
        occurred_at=iso(NOW - timedelta(days=R.randrange(11, 30))), due_at=iso(due.replace(hour=17, minute=0, second=0)), owner=c['owner'],
        contact_external_id=c['external_id'])

activities.sort(key=lambda a: (a['occurred_at'], a['external_id']))
with open(f'{out}/activities.ndjson', 'w', encoding='utf-8') as f:
    for a in activities:
        f.write(json.dumps(a, ensure_ascii=False, separators=(',', ':')) + '\n')

# -- a key account: reporting lines and contact roles --------------------
# (its own random stream, after everything else, so the files above stay
# as they were). The group with the most open new-business deals past
# qualification; its top company's people get a reporting line to their
# CEO (or first person) and a manager, and roles on its biggest such deal.
RK = random.Random(27)
PAST = ('needs_analysis', 'proposal', 'negotiation')
def open_past(co):
    return [(i, d) for i, d in enumerate(deals[:520]) if d['company'] == co['external_id']
            and d.get('pipeline') == 'default' and d['stage'] in PAST]
groups = [c for c in companies if c['tags'] and 'group' in c['tags'].split(',')]
key = max(groups, key=lambda c: (len(open_past(c)), -int(c['external_id'][3:])))
kdeal = max(open_past(key), key=lambda p: (p[1]['amount'], -p[0]))[1]
people = sorted(by_company.get(key['external_id'], []), key=lambda c: int(c['external_id'][4:]))[:7]
boss = next((c for c in people if c['title'] == 'CEO'), people[0])
rest = [c for c in people if c is not boss]
lines = [dict(email=boss['email'], reports_to=None)]
for j, c in enumerate(rest):
    lines.append(dict(email=c['email'], reports_to=boss['email'] if j < 2 else rest[j % 2]['email']))
write_csv('reporting.csv', ['email', 'reports_to'], lines)
ROLES = [('decision_maker', 'supporter', 'high'), ('economic_buyer', 'neutral', 'high'),
         ('technical_evaluator', 'opponent', 'high'), ('user', 'supporter', 'low'),
         ('influencer', 'neutral', 'medium'), ('gatekeeper', 'neutral', 'low')]
roles = [dict(deal=kdeal['external_id'], contact=c['email'], role=r, attitude=a, influence=inf)
         for c, (r, a, inf) in zip([boss] + rest, ROLES)]
write_csv('roles.csv', ['deal', 'contact', 'role', 'attitude', 'influence'], roles)

print(f'{len(companies)} companies, {len(contacts)} contacts, {len(leads)} leads, '
      f'{len(deals)} deals, {len(tickets)} tickets, {len(activities)} activities', file=sys.stderr)
PY
