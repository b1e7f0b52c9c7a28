package sampledata

import (
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/safetyrisk/safetyrisk"
)

// streamOf derives an independent random stream for a named part of the generator,
// so that a change in one table does not shift the values of another.
func streamOf(name string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(name))
	return h.Sum64()
}

// Trade names and sector suffixes for enterprise names (all in GB 2312, for GBK files).
var (
	tradeNames = []string{"宏达", "鑫源", "恒泰", "金川", "华能", "伊泰", "汇能", "蒙泰", "昊华", "鄂能", "天骄", "永利",
		"东兴", "北方", "广纳", "聚鑫", "瑞丰", "安源", "博源", "富源", "神东", "亿利", "君正", "久泰", "中天", "德晟",
		"泰和", "弘毅", "万通", "顺达", "兴旺", "隆基", "草原", "大漠", "高原", "黄河", "明达", "嘉禾", "锦程", "同心"}
	sectorSuffix = map[string][]string{
		"coal_mine":           {"煤业有限责任公司", "煤矿", "能源有限公司露天煤矿", "矿业有限公司"},
		"non_coal_mine":       {"砂石料场", "石灰石矿", "矿业有限公司", "采石场"},
		"hazardous_chemicals": {"化工有限公司", "精细化工有限公司", "煤化工有限公司", "气体有限公司"},
		"oil_gas":             {"天然气有限公司", "油气储运有限公司", "加油站", "石油化工有限公司"},
		"road_transport":      {"运输有限公司", "物流有限公司", "客运有限公司", "危货运输有限公司"},
		"construction":        {"建筑工程有限公司", "建设集团有限公司", "路桥工程有限公司", "房地产开发有限公司项目部"},
		"gas":                 {"燃气有限公司", "液化气站", "燃气供应站"},
		"fire":                {"消防技术服务有限公司", "物业服务有限公司", "仓储有限公司"},
		"crowded_places":      {"商贸城", "购物中心", "大酒店", "宾馆", "农贸市场", "影城"},
		"industry_trade":      {"冶金有限公司", "铁合金有限公司", "机械制造有限公司", "建材有限公司", "陶瓷有限公司"},
		"fireworks":           {"烟花爆竹批发有限公司", "烟花爆竹零售点"},
		"special_equipment":   {"电梯有限公司", "锅炉安装有限公司", "起重设备有限公司"},
		"other":               {"商贸有限公司", "农牧业有限公司", "餐饮管理有限公司"},
	}
)

// enterpriseName builds a registered name: city, region, trade name, sector suffix.
func enterpriseName(rng *rand.Rand, cityName, regionName, sector string, seq int) string {
	suf := sectorSuffix[sector]
	return fmt.Sprintf("%s%s%s%s%s", cityName, strings.TrimSuffix(strings.TrimSuffix(regionName, "旗"), "区"),
		tradeNames[rng.IntN(len(tradeNames))], nthName(seq), suf[rng.IntN(len(suf))])
}

// nthName makes names unique enough without numbers in them: a second trade word.
func nthName(seq int) string {
	second := []string{"", "第一", "第二", "第三", "一号", "二号", "三号"}
	return second[seq%len(second)]
}

// creditCode is a GB 32100 unified social credit code: 9 (business registration)
// 1 (enterprise), the region code, a nine-character organisation code, the check.
func creditCode(rng *rand.Rand, region string) string {
	const alpha = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	var b strings.Builder
	b.WriteString("91")
	b.WriteString(region)
	for i := 0; i < 9; i++ {
		b.WriteByte(alpha[rng.IntN(len(alpha))])
	}
	c, _ := safetyrisk.CreditCodeCheck(b.String())
	b.WriteByte(c)
	return b.String()
}

// Fake reporter identities: "张某某"-style names (how Chinese documents anonymise a
// person, so nobody mistakes them for real), phones in the 170 virtual-operator block
// with 0000 in the middle, and ID numbers with sequence 99x and a valid GB 11643 check.
var surnames = []string{"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗", "乌", "白", "云", "奇"}

func fakeName(rng *rand.Rand) string {
	if rng.IntN(2) == 0 {
		return surnames[rng.IntN(len(surnames))] + "某"
	}
	return surnames[rng.IntN(len(surnames))] + "某某"
}

func fakePhone(rng *rand.Rand) string {
	return fmt.Sprintf("1700000%04d", rng.IntN(10000))
}

// fakeIDNumber is an 18-digit resident ID: region code, birth date, a 99x sequence
// (unusual in real numbers) and the GB 11643-1999 check character.
func fakeIDNumber(rng *rand.Rand, region string) string {
	birth := time.Date(1960+rng.IntN(40), time.Month(1+rng.IntN(12)), 1+rng.IntN(28), 0, 0, 0, 0, time.UTC)
	s := fmt.Sprintf("%s%s99%d", region, birth.Format("20060102"), rng.IntN(10))
	return s + string(IDCheckDigit(s))
}

// IDCheckDigit is the GB 11643-1999 check character of the first 17 digits of a
// resident ID number (ISO 7064 MOD 11-2).
func IDCheckDigit(first17 string) byte {
	w := [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := 0; i < 17 && i < len(first17); i++ {
		sum += int(first17[i]-'0') * w[i]
	}
	return "10X98765432"[sum%11]
}

// Hazard categories and descriptions by sector.
var hazardCatalogue = map[string][][2]string{
	"coal_mine": {{"通风", "采煤工作面风量不足"}, {"瓦斯", "瓦斯监测探头未按规定位置悬挂"}, {"顶板", "巷道支护不及时"},
		{"防治水", "探放水设计未落实"}, {"机电", "皮带机保护装置失效"}, {"运输", "无轨胶轮车制动不合格"}, {"露天边坡", "边坡台阶宽度不足"}},
	"non_coal_mine": {{"边坡", "采场边坡角过陡"}, {"爆破", "爆破警戒距离不足"}, {"排土场", "排土场未按设计堆放"}, {"机电", "设备防护罩缺失"}},
	"hazardous_chemicals": {{"储存", "储罐区可燃气体报警器失效"}, {"工艺", "重点监管工艺自动化控制未投用"}, {"特殊作业", "动火作业票证不全"},
		{"设备", "安全阀未按期校验"}, {"管理", "未开展危险与可操作性分析"}},
	"oil_gas":           {{"管道", "管道占压未处置"}, {"储存", "储罐防雷接地检测过期"}, {"设备", "阀门泄漏"}, {"管理", "应急预案未演练"}},
	"road_transport":    {{"车辆", "车辆动态监控离线"}, {"驾驶员", "驾驶员超时驾驶"}, {"管理", "未落实例检制度"}},
	"construction":      {{"高处作业", "临边防护缺失"}, {"脚手架", "脚手架连墙件不足"}, {"起重机械", "塔吊限位装置失效"}, {"基坑", "深基坑未按方案支护"}, {"临时用电", "配电箱未做接地"}},
	"gas":               {{"管网", "燃气管道腐蚀"}, {"用户", "餐饮场所未安装燃气泄漏报警装置"}, {"场站", "液化气瓶超期未检"}},
	"fire":              {{"消防设施", "消火栓无水"}, {"疏散", "安全出口被锁闭"}, {"电气", "电动自行车违规充电"}},
	"crowded_places":    {{"疏散", "疏散通道堵塞"}, {"消防设施", "应急照明损坏"}, {"用电", "私拉乱接电线"}},
	"industry_trade":    {{"粉尘", "粉尘除尘系统未定期清理"}, {"有限空间", "有限空间作业未审批"}, {"冶金", "高温熔融金属吊运设备缺陷"}, {"机械", "设备防护装置缺失"}},
	"fireworks":         {{"储存", "超量储存"}, {"管理", "未设置防静电装置"}},
	"special_equipment": {{"电梯", "电梯超期未检"}, {"锅炉", "锅炉安全阀失效"}, {"起重", "起重机钢丝绳断丝超标"}},
	"other":             {{"管理", "安全管理制度不健全"}, {"培训", "从业人员未经安全培训"}},
}

// Accident classes (GB 6441-86 codes) by sector, most frequent first.
var accidentClasses = map[string][]string{
	"coal_mine":           {"roof_fall", "vehicle", "machinery", "water_inrush", "blasting", "gas_explosion"},
	"non_coal_mine":       {"collapse", "vehicle", "blasting", "machinery"},
	"hazardous_chemicals": {"poisoning_asphyxia", "fire", "vessel_explosion", "scald", "other_explosion"},
	"oil_gas":             {"fire", "other_explosion", "poisoning_asphyxia"},
	"road_transport":      {"vehicle"},
	"construction":        {"fall_from_height", "collapse", "struck_by_object", "lifting", "electrocution"},
	"gas":                 {"other_explosion", "poisoning_asphyxia", "fire"},
	"fire":                {"fire"},
	"crowded_places":      {"fire", "other", "electrocution"},
	"industry_trade":      {"machinery", "scald", "poisoning_asphyxia", "struck_by_object", "lifting"},
	"fireworks":           {"explosive", "fire"},
	"special_equipment":   {"lifting", "boiler_explosion", "vessel_explosion"},
	"other":               {"other", "drowning", "electrocution"},
}

// departments are the supervising department of each sector (by Ordos practice: coal
// and oil-gas under the energy bureau, construction and gas under housing, and so on).
var departments = map[string]string{
	"coal_mine": "能源局", "non_coal_mine": "应急管理局", "hazardous_chemicals": "应急管理局", "oil_gas": "能源局",
	"road_transport": "交通运输局", "construction": "住房和城乡建设局", "gas": "住房和城乡建设局", "fire": "消防救援大队",
	"crowded_places": "消防救援大队", "industry_trade": "应急管理局", "fireworks": "应急管理局",
	"special_equipment": "市场监督管理局", "other": "应急管理局",
}

// poisson draws a Poisson count (normal approximation above 30).
func poisson(rng *rand.Rand, lambda float64) int {
	if lambda <= 0 {
		return 0
	}
	if lambda > 30 {
		v := math.Round(lambda + math.Sqrt(lambda)*rng.NormFloat64())
		if v < 0 {
			return 0
		}
		return int(v)
	}
	l, k, p := math.Exp(-lambda), 0, 1.0
	for {
		p *= rng.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

// pick draws an index from relative weights.
func pick(rng *rand.Rand, w []float64) int {
	sum := 0.0
	for _, x := range w {
		sum += x
	}
	r := rng.Float64() * sum
	for i, x := range w {
		if r < x {
			return i
		}
		r -= x
	}
	return len(w) - 1
}

func boolCell(b bool) string {
	if b {
		return "是"
	}
	return "否"
}

func dateCell(t time.Time) string { return t.Format(time.DateOnly) }

func timeCell(t time.Time) string { return t.Format("2006-01-02 15:04") }

func between(rng *rand.Rand, lo, hi int) int { return lo + rng.IntN(hi-lo+1) }
