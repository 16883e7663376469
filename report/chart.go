package report

import (
	"fmt"
	"math"
)

// chart is an SVG drawing, inline in the page: no script, no font or file
// from anywhere, so the report works offline and prints as it shows.
// Every chart has a title and a description for screen readers (role
// img), and a table of the report holds the same figures.
type chart struct {
	ID, Title, Desc string
	Width, Height   float64
	Rects           []rect
	Labels          []label
	Lines           []line
	Legend          []legendItem
}

type rect struct {
	X, Y, W, H float64
	Class      string // ok, later, bad, bar
	Title      string // shown on hover
}

type label struct {
	X, Y   float64
	Anchor string // start, middle, end
	Class  string
	Text   string
}

type line struct{ X1, Y1, X2, Y2 float64 }

type legendItem struct{ Class, Text string }

// niceMax rounds a chart's top up to 1, 2 or 5 times a power of ten.
func niceMax(v float64) float64 {
	if v <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5, 10} {
		if v <= m*p {
			return m * p
		}
	}
	return 10 * p
}

// segment is one part of a stacked column.
type segment struct {
	Value int64
	Class string
	Title string
}

// columns draws one stacked column per label, with a value axis.
func columns(id, title, desc string, labels []string, stacks [][]segment, legend []legendItem, f format) chart {
	const (
		w, h          = 640.0, 200.0
		left, right   = 40.0, 8.0
		top, bottom   = 12.0, 26.0
		plotW, plotH  = w - left - right, h - top - bottom
		maxLabelsShow = 31
	)
	c := chart{ID: id, Title: title, Desc: desc, Width: w, Height: h, Legend: legend}
	var most int64
	for _, st := range stacks {
		var total int64
		for _, s := range st {
			total += s.Value
		}
		most = max(most, total)
	}
	top1 := niceMax(float64(most))
	ticks := []float64{0, top1}
	if half := top1 / 2; half == math.Trunc(half) {
		ticks = []float64{0, half, top1} // counts: no tick between whole numbers
	}
	for _, v := range ticks {
		y := top + plotH - plotH*v/top1
		c.Lines = append(c.Lines, line{left, y, w - right, y})
		c.Labels = append(c.Labels, label{X: left - 4, Y: y + 4, Anchor: "end", Class: "axis", Text: f.num(int64(math.Round(v)))})
	}
	n := float64(max(len(labels), 1))
	slot := plotW / n
	every := int(math.Ceil(float64(len(labels)) / maxLabelsShow))
	barW := min(slot*0.7, 48)
	for i, st := range stacks {
		mid := left + slot*(float64(i)+0.5)
		y := top + plotH
		for _, s := range st {
			if s.Value == 0 {
				continue
			}
			hh := plotH * float64(s.Value) / top1
			y -= hh
			c.Rects = append(c.Rects, rect{X: mid - barW/2, Y: y, W: barW, H: hh, Class: s.Class, Title: s.Title})
		}
		if i%max(every, 1) == 0 {
			c.Labels = append(c.Labels, label{X: mid, Y: h - 8, Anchor: "middle", Class: "axis", Text: labels[i]})
		}
	}
	return c
}

// bars draws one horizontal bar per row: a share from 0 to 100 %.
func bars(id, title, desc string, names []string, shares []Ratio, f format) chart {
	const (
		w, rowH        = 640.0, 24.0
		labelW, valueW = 210.0, 130.0
		barW           = w - labelW - valueW
	)
	c := chart{ID: id, Title: title, Desc: desc, Width: w, Height: rowH*float64(len(names)) + 8}
	for i, name := range names {
		y := 4 + rowH*float64(i)
		c.Labels = append(c.Labels, label{X: labelW - 8, Y: y + 16, Anchor: "end", Class: "name", Text: name})
		c.Rects = append(c.Rects, rect{X: labelW, Y: y + 4, W: barW, H: rowH - 8, Class: "track"})
		r := shares[i]
		text := f.t.None
		if r.Known() {
			c.Rects = append(c.Rects, rect{X: labelW, Y: y + 4, W: barW * r.Percent() / 100, H: rowH - 8, Class: "ok",
				Title: fmt.Sprintf("%s: %s", name, f.pct(r))})
			text = fmt.Sprintf("%s (%s/%s)", f.pct(r), f.num(r.Num), f.num(r.Den))
		}
		c.Labels = append(c.Labels, label{X: labelW + barW + 8, Y: y + 16, Anchor: "start", Class: "num", Text: text})
	}
	return c
}
