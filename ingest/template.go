package ingest

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/safetyrisk/safetyrisk"
	"github.com/xuri/excelize/v2"
)

// templateHeaders are the Chinese headers, required ones marked with a leading "*"
// (safetyrisk.FoldKey strips it, so a filled-in template reads back as it is).
func templateHeaders(t *safetyrisk.Table) []string {
	hs := t.Headers()
	for i, c := range t.Columns {
		if c.Required {
			hs[i] = "*" + hs[i]
		}
	}
	return hs
}

// TemplateCSV is a blank CSV template: UTF-8 with a byte-order mark, so that Excel
// opens the Chinese headers correctly, and one header record.
func TemplateCSV(t *safetyrisk.Table) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("\uFEFF")
	w := csv.NewWriter(&b)
	if err := w.Write(templateHeaders(t)); err != nil {
		return nil, err
	}
	w.Flush()
	return b.Bytes(), w.Error()
}

// TemplateXLSX is a blank workbook: a title row, the bold header row, column widths,
// drop-down lists for single-choice columns and a sheet explaining each column.
func TemplateXLSX(t *safetyrisk.Table) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	sheet := t.Chinese
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, err
	}
	hs := templateHeaders(t)
	last, _ := excelize.CoordinatesToCellName(len(hs), 1)
	lastHeader, _ := excelize.CoordinatesToCellName(len(hs), 2)
	if err := f.SetCellValue(sheet, "A1", t.Chinese+"填报模板（带*为必填项）"); err != nil {
		return nil, err
	}
	if err := f.MergeCell(sheet, "A1", last); err != nil {
		return nil, err
	}
	title, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}})
	if err != nil {
		return nil, err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill:   excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
		Border: []excelize.Border{{Type: "bottom", Color: "000000", Style: 1}}})
	if err != nil {
		return nil, err
	}
	dateStyle, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		return nil, err
	}
	f.SetCellStyle(sheet, "A1", "A1", title)
	for i, h := range hs {
		cell, _ := excelize.CoordinatesToCellName(i+1, 2)
		if err := f.SetCellValue(sheet, cell, h); err != nil {
			return nil, err
		}
		colName, _ := excelize.ColumnNumberToName(i + 1)
		width := float64(utf8.RuneCountInString(h))*2.2 + 2
		if width < 12 {
			width = 12
		}
		if err := f.SetColWidth(sheet, colName, colName, width); err != nil {
			return nil, err
		}
		c := t.Columns[i]
		rng := fmt.Sprintf("%s3:%s10000", colName, colName)
		if c.Kind == safetyrisk.KindDate {
			f.SetCellStyle(sheet, colName+"3", colName+"1000", dateStyle)
		}
		if c.Kind == safetyrisk.KindEnum && c.Enum != nil {
			var names []string
			for _, v := range c.Enum.Values {
				names = append(names, v.Name)
			}
			dv := excelize.NewDataValidation(true)
			dv.Sqref = rng
			if err := dv.SetDropList(names); err == nil {
				f.AddDataValidation(sheet, dv)
			}
		}
	}
	if err := f.SetCellStyle(sheet, "A2", lastHeader, bold); err != nil {
		return nil, err
	}
	f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 2, TopLeftCell: "A3", ActivePane: "bottomLeft"})

	// A sheet that says what each column takes.
	const doc = "填写说明"
	if _, err := f.NewSheet(doc); err != nil {
		return nil, err
	}
	f.SetSheetRow(doc, "A1", &[]any{"表头", "字段", "类型", "必填", "说明/可选值"})
	f.SetCellStyle(doc, "A1", "E1", bold)
	for i, c := range t.Columns {
		vals := c.Doc
		if c.Enum != nil {
			var names []string
			for _, v := range c.Enum.Values {
				names = append(names, v.Name+"("+v.Code+")")
			}
			vals = strings.Join(names, "、")
		}
		req := ""
		if c.Required {
			req = "是"
		}
		f.SetSheetRow(doc, fmt.Sprintf("A%d", i+2), &[]any{c.Header, c.Name, kindChinese(c.Kind), req, vals})
	}
	f.SetColWidth(doc, "A", "B", 20)
	f.SetColWidth(doc, "E", "E", 80)
	var b bytes.Buffer
	if _, err := f.WriteTo(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func kindChinese(k safetyrisk.Kind) string {
	switch k {
	case safetyrisk.KindInt:
		return "整数"
	case safetyrisk.KindFloat:
		return "数值"
	case safetyrisk.KindBool:
		return "是/否"
	case safetyrisk.KindDate:
		return "日期（2022-09-27）"
	case safetyrisk.KindTime:
		return "时间（2022-09-27 14:30）"
	case safetyrisk.KindEnum:
		return "单选"
	case safetyrisk.KindEnumSet:
		return "多选（用、分隔）"
	case safetyrisk.KindRegion:
		return "旗区"
	case safetyrisk.KindSector:
		return "行业领域"
	case safetyrisk.KindCreditCode:
		return "18位统一社会信用代码"
	case safetyrisk.KindPII:
		return "举报人信息（入库时加密）"
	}
	return "文本"
}
