package exporter

import (
	"context"
	"net/http"

	"github.com/prometheus/exporter-toolkit/web"
)

// Route is an extra page served beside /metrics, behind the same TLS and basic auth
// (the web configuration applies to the whole server), and linked from the landing page:
// the command mounts the monthly report at /report.
type Route struct {
	Path              string // exact path, e.g. /report
	Text, Description string // the landing page's link
	Handler           http.Handler
}

type routesKey struct{}

// withRoutes serves each route on its path and every other request with h; h's landing
// page finds the routes in the request's context to link them.
func withRoutes(h http.Handler, routes []Route) http.Handler {
	if len(routes) == 0 {
		return h
	}
	mux := http.NewServeMux()
	for _, rt := range routes {
		mux.Handle(rt.Path, rt.Handler)
	}
	mux.Handle("/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), routesKey{}, routes)))
	}))
	return mux
}

// routeLinks are the landing page's links to the routes of the request's server.
func routeLinks(r *http.Request) []web.LandingLinks {
	routes, _ := r.Context().Value(routesKey{}).([]Route)
	links := make([]web.LandingLinks, 0, len(routes))
	for _, rt := range routes {
		links = append(links, web.LandingLinks{Address: rt.Path, Text: rt.Text, Description: rt.Description})
	}
	return links
}
