// A small Go app for Slipway: the standard library's HTTP server on $PORT.
package main

import (
	"fmt"
	"log"
	"net/http"
	"os"
	"runtime"
)

func main() {
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintf(w, "hello from go-app (%s)\n", runtime.Version())
	})
	log.Printf("go-app listening on %s", port)
	log.Fatal(http.ListenAndServe(":"+port, nil))
}
