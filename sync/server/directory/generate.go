package directory

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/ecert-desktop/ecert-desktop/sync/api"
)

// country is where operators are generated: its ISO code, how its names are written
// and what its producers grow. Producers come from producing countries (crops set);
// consuming countries hold traders, importers and manufacturers.
type country struct {
	code  string
	names *nameStyle
	crops []string
}

// nameStyle builds operator names in one language and script: a kind of organisation
// (by role) followed or preceded by a place or family name.
type nameStyle struct {
	producer []string // "Cooperativa Agraria %s"
	trader   []string // "%s Trading"
	places   []string
}

var (
	spanish = &nameStyle{
		producer: []string{"Cooperativa Agraria Cafetalera %s", "Asociación de Productores %s", "Cooperativa de Servicios Múltiples %s", "Central de Cooperativas %s", "Unión de Pequeños Productores de %s"},
		trader:   []string{"Exportadora %s S.A.", "Comercializadora %s", "%s Orgánicos S.A.C."},
		places:   []string{"Peñablanca", "San Martín", "La Florida", "Río Ñuble", "Montaña Verde", "Huánuco", "El Quetzal", "Santa Bárbara", "Alto Perené", "Cañar", "Jaén", "Oxapampa", "Pangoa", "Chanchamayo", "Tierra Fértil", "Los Andes", "Valle Sagrado", "Sol y Café", "Nueva Esperanza", "Yungas"},
	}
	portuguese = &nameStyle{
		producer: []string{"Cooperativa dos Cafeicultores de %s", "Associação dos Produtores de %s", "Cooperativa Agroextrativista %s"},
		trader:   []string{"%s Exportação Ltda.", "Comércio Justo %s"},
		places:   []string{"São João", "Poço Fundo", "Cambuí", "Conceição", "Três Pontas", "Mantiqueira", "Açaí do Pará", "Guaxupé", "Bahia Sul", "Sertão"},
	}
	french = &nameStyle{
		producer: []string{"Coopérative Agricole %s", "Société Coopérative des Producteurs de %s", "Union des Coopératives de %s", "Groupement des Planteurs de %s"},
		trader:   []string{"%s Équitable SARL", "Comptoir %s", "Les Cafés %s"},
		places:   []string{"Daloa", "Soubré", "Abengourou", "Kpalimé", "Bobo-Dioulasso", "Ségou", "Lac Kivu", "Fianarantsoa", "Gagnoa", "Méagui", "Zouan-Hounien", "Côte Fleurie", "Mont Péko", "Sinfra", "Agboville"},
	}
	english = &nameStyle{
		producer: []string{"%s Farmers Co-operative Union", "%s Smallholder Tea Growers", "%s Estate", "%s Cocoa Farmers Association"},
		trader:   []string{"%s Trading Ltd", "%s Fair Foods", "%s Coffee Roasters", "%s Imports Inc."},
		places:   []string{"Kilimanjaro", "Mount Elgon", "Kuapa", "Nilgiri", "Ankole", "Bukonzo", "Greenfield", "Riverside", "Highland", "Sunrise", "Maple Leaf", "Golden Valley", "Blue Mountain", "Rwenzori", "Meru"},
	}
	german = &nameStyle{
		trader: []string{"%s Handelsgesellschaft mbH", "Kaffeerösterei %s", "%s Naturkost GmbH", "Weltladen %s eG"},
		places: []string{"Müller", "Schröder", "Großmann", "Köhler", "Bäcker", "Weiß", "Süßwaren Jäger", "Nürnberg", "Lübeck", "Würzburg"},
	}
	dutch = &nameStyle{
		trader: []string{"%s Handelsonderneming B.V.", "%s Koffiebranderij", "De Eerlijke %s"},
		places: []string{"Van der Berg", "De Vries", "IJsselmeer", "Brabant", "Zeeland", "Hoogland"},
	}
	italian = &nameStyle{
		trader: []string{"%s Commercio Equo S.r.l.", "Torrefazione %s", "Cioccolateria %s"},
		places: []string{"Città di Castello", "Bottega Solidale", "Perugia", "Modica", "Altromercato", "Sanremo"},
	}
	nordic = &nameStyle{
		trader: []string{"%s Kaffe AB", "%s Handel A/S", "%s Kahvi Oy"},
		places: []string{"Ålesund", "Göteborg", "Århus", "Jönköping", "Tromsø", "Kööpenhamina", "Malmö", "Øresund"},
	}
	greek    = &nameStyle{trader: []string{"%s Εμπορική Α.Ε.", "Δίκαιο Εμπόριο %s"}, places: []string{"Αθηνά", "Ολυμπία", "Θεσσαλονίκη", "Κρήτη"}}
	russian  = &nameStyle{trader: []string{"ООО «%s»", "Торговый дом %s"}, places: []string{"Чайная лавка", "Кофейня", "Северный ветер", "Волга"}}
	japanese = &nameStyle{
		trader: []string{"%s株式会社", "%s珈琲", "%s商事"},
		places: []string{"東京フェアトレード", "さくら", "山田", "北海道", "ひかり", "京都", "みどり"},
	}
	korean  = &nameStyle{trader: []string{"%s 공정무역", "%s 커피"}, places: []string{"아름다운", "한빛", "서울", "두레"}}
	chinese = &nameStyle{
		producer: []string{"%s茶叶专业合作社", "%s咖啡种植合作社"},
		trader:   []string{"%s贸易有限公司"},
		places:   []string{"普洱", "云南", "西双版纳", "临沧", "保山", "福建"},
	}
	thai       = &nameStyle{producer: []string{"สหกรณ์%s", "กลุ่มเกษตรกร%s"}, trader: []string{"บริษัท %s จำกัด"}, places: []string{"เชียงราย", "น่าน", "ดอยช้าง", "สุรินทร์", "ยโสธร"}}
	hindi      = &nameStyle{producer: []string{"%s किसान सहकारी समिति", "%s Tea Estate", "%s Organic Farmers"}, trader: []string{"%s Exports Pvt Ltd"}, places: []string{"दार्जिलिंग", "Wayanad", "Assam", "नीलगिरि", "Karnataka", "Kerala"}}
	arabic     = &nameStyle{producer: []string{"جمعية %s التعاونية", "تعاونية %s الزراعية"}, trader: []string{"شركة %s للتجارة"}, places: []string{"النخيل", "الأمل", "نابلس", "جنين", "الزيتون"}}
	amharic    = &nameStyle{producer: []string{"%s የቡና አምራቾች ማህበር", "%s Coffee Farmers Cooperative Union"}, trader: []string{"%s ትሬዲንግ"}, places: []string{"ሲዳማ", "ይርጋጨፌ", "Oromia", "ጉጂ", "Kaffa", "Limu"}}
	vietnamese = &nameStyle{producer: []string{"Hợp tác xã %s", "Tổ hợp tác Cà phê %s"}, trader: []string{"Công ty TNHH %s"}, places: []string{"Đắk Lắk", "Lâm Đồng", "Cầu Đất", "Sơn La", "Buôn Ma Thuột"}}
	indonesian = &nameStyle{producer: []string{"Koperasi Produsen %s", "Koperasi Kopi %s"}, trader: []string{"PT %s Nusantara"}, places: []string{"Gayo", "Kerinci", "Toraja", "Flores", "Permata", "Ketiara"}}
	swahili    = &nameStyle{producer: []string{"Chama cha Ushirika %s", "%s Farmers Co-operative Society"}, trader: []string{"%s Traders Ltd"}, places: []string{"Kagera", "Mbinga", "Ngara", "Kibo", "Muranga", "Kirinyaga"}}
)

var countries = []country{
	// Latin America and the Caribbean.
	{"PE", spanish, []string{"coffee", "cocoa", "bananas", "quinoa"}}, {"CO", spanish, []string{"coffee", "bananas", "flowers"}},
	{"EC", spanish, []string{"bananas", "cocoa", "flowers"}}, {"BO", spanish, []string{"coffee", "quinoa", "nuts"}},
	{"MX", spanish, []string{"coffee", "honey"}}, {"GT", spanish, []string{"coffee", "honey"}},
	{"HN", spanish, []string{"coffee"}}, {"NI", spanish, []string{"coffee", "cocoa", "sesame"}},
	{"SV", spanish, []string{"coffee"}}, {"CR", spanish, []string{"coffee", "bananas", "sugar"}},
	{"PA", spanish, []string{"coffee", "bananas"}}, {"DO", spanish, []string{"cocoa", "bananas"}},
	{"PY", spanish, []string{"sugar"}}, {"CL", spanish, []string{"wine", "honey", "fruit"}},
	{"AR", spanish, []string{"wine", "honey"}}, {"BR", portuguese, []string{"coffee", "fruit", "nuts"}},
	{"HT", french, []string{"coffee", "cocoa"}}, {"BZ", english, []string{"sugar"}}, {"JM", english, []string{"bananas", "sugar"}},
	// Africa.
	{"CI", french, []string{"cocoa"}}, {"GH", english, []string{"cocoa", "fruit"}}, {"TG", french, []string{"coffee", "cocoa"}},
	{"CM", french, []string{"cocoa", "bananas"}}, {"BF", french, []string{"cotton", "nuts"}}, {"ML", french, []string{"cotton"}},
	{"SN", french, []string{"fruit", "nuts"}}, {"MG", french, []string{"spices", "cocoa"}}, {"RW", french, []string{"coffee", "tea"}},
	{"BI", french, []string{"coffee"}}, {"CD", french, []string{"coffee", "cocoa"}}, {"ET", amharic, []string{"coffee"}},
	{"KE", swahili, []string{"tea", "coffee", "flowers"}}, {"TZ", swahili, []string{"coffee", "tea"}}, {"UG", english, []string{"coffee", "cocoa"}},
	{"MW", english, []string{"tea", "sugar", "nuts"}}, {"ZA", english, []string{"wine", "fruit", "flowers"}}, {"ZM", english, []string{"sugar", "honey"}},
	{"EG", arabic, []string{"cotton", "spices"}}, {"MA", arabic, []string{"fruit"}},
	// Asia and the Pacific.
	{"IN", hindi, []string{"tea", "cotton", "rice", "spices"}}, {"LK", english, []string{"tea", "spices"}}, {"NP", hindi, []string{"tea"}},
	{"TH", thai, []string{"rice"}}, {"VN", vietnamese, []string{"coffee", "nuts"}}, {"LA", thai, []string{"coffee"}},
	{"ID", indonesian, []string{"coffee", "cocoa"}}, {"PG", english, []string{"coffee", "cocoa"}}, {"CN", chinese, []string{"tea", "coffee"}},
	{"PS", arabic, []string{"fruit"}}, {"LB", arabic, []string{"fruit"}}, {"PH", english, []string{"sugar", "fruit"}},
	{"FJ", english, []string{"sugar"}}, {"TL", english, []string{"coffee"}},
	// Consuming countries: traders, importers, manufacturers.
	{"DE", german, nil}, {"AT", german, nil}, {"CH", german, nil}, {"FR", french, nil}, {"BE", dutch, nil}, {"NL", dutch, nil},
	{"LU", french, nil}, {"IT", italian, nil}, {"ES", spanish, nil}, {"PT", portuguese, nil}, {"GB", english, nil}, {"IE", english, nil},
	{"SE", nordic, nil}, {"NO", nordic, nil}, {"DK", nordic, nil}, {"FI", nordic, nil}, {"GR", greek, nil}, {"RU", russian, nil},
	{"US", english, nil}, {"CA", english, nil}, {"JP", japanese, nil}, {"KR", korean, nil}, {"AU", english, nil}, {"NZ", english, nil},
}

var allProducts = []string{"coffee", "cocoa", "bananas", "tea", "sugar", "flowers", "cotton", "rice", "honey", "fruit", "nuts", "spices", "wine", "quinoa", "sesame"}

// Generate returns n operators, the same for the same seed and n: FLO IDs from 100000
// upwards (clear of the demo organisations'), spread over the countries, most of them
// certified. Status dates fall in the two years before now's day.
func Generate(seed uint64, n int, now time.Time) []api.Operator {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	day := now.UTC().Truncate(24 * time.Hour)
	ops := make([]api.Operator, 0, n)
	id := 100000
	for i := 0; i < n; i++ {
		id += 1 + rng.IntN(9)
		c := countries[rng.IntN(len(countries))]
		op := api.Operator{FLOID: fmt.Sprint(id), Country: c.code}
		kinds := c.names.trader
		if len(c.crops) > 0 && rng.IntN(10) < 8 {
			op.Role = "producer"
			if rng.IntN(12) == 0 {
				op.Role = "exporter"
			}
			op.Products = pick(rng, c.crops)
			if op.Role == "producer" && len(c.names.producer) > 0 {
				kinds = c.names.producer
			}
		} else {
			op.Role = []string{"trader", "importer", "manufacturer"}[rng.IntN(3)]
			op.Products = pick(rng, allProducts)
		}
		place := c.names.places[rng.IntN(len(c.names.places))]
		op.Name = fmt.Sprintf(kinds[rng.IntN(len(kinds))], place)
		if rng.IntN(3) > 0 { // several operators share a place: tell them apart as people do
			op.Name += fmt.Sprintf(" %s", suffixes[rng.IntN(len(suffixes))])
		}
		changed := day.AddDate(0, 0, -rng.IntN(730))
		op.StatusChangedAt = changed
		switch r := rng.IntN(100); {
		case r < 86:
			op.Status = api.StatusCertified
			op.ValidUntil = api.Date(changed.AddDate(3, 0, 0).Format(time.DateOnly))
		case r < 91:
			op.Status = api.StatusSuspended
			op.ValidUntil = api.Date(changed.AddDate(1, 6, 0).Format(time.DateOnly))
		case r < 95:
			op.Status = api.StatusDecertified
		default:
			op.Status = api.StatusInApplication
		}
		ops = append(ops, op)
	}
	return ops
}

// suffixes tell apart operators of one place: a number, a sector, a grade.
var suffixes = []string{"I", "II", "III", "Norte", "Sur", "Est", "Ouest", "Central", "1", "2", "3", "4", "5", "Alto", "Bajo"}

// pick returns one to three of from, in from's order.
func pick(rng *rand.Rand, from []string) []string {
	n := 1 + rng.IntN(min(3, len(from)))
	start := rng.IntN(len(from))
	out := make([]string, 0, n)
	for i := range n {
		out = append(out, from[(start+i)%len(from)])
	}
	return out
}
