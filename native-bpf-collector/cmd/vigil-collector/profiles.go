package main

import (
	"errors"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/vigil-dev/vigil/native-bpf-collector/internal/profile"
)

// profileSaveInterval: how often changed profiles are written to the state directory. A crash loses at most this
// much learning; a clean shutdown loses none.
const profileSaveInterval = 30 * time.Second

// loadProfiles reads the profiles a previous run saved. A file that cannot be read back is moved aside (kept for a
// look, never read again) and the collector starts with fresh profiles: a bad file must not stop the collector.
func loadProfiles(store *profile.Store, path string) {
	err := store.Load(path)
	if err == nil {
		if pods := store.Pods(); len(pods) > 0 {
			log.Printf("profiles: %d pod profiles restored from %s", len(pods), path)
		}
		return
	}
	aside := fmt.Sprintf("%s.corrupt-%d", path, time.Now().Unix())
	if renameErr := os.Rename(path, aside); renameErr != nil && !errors.Is(renameErr, os.ErrNotExist) {
		log.Printf("profiles: %v; starting with fresh profiles (moving the file aside failed: %v; it will be overwritten)", err, renameErr)
		return
	}
	log.Printf("profiles: %v; moved to %s, starting with fresh profiles", err, aside)
}

// saveProfiles writes the profiles every profileSaveInterval when they changed, and once more when stop closes.
func saveProfiles(store *profile.Store, path string, stop <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	ticker := time.NewTicker(profileSaveInterval)
	defer ticker.Stop()
	for {
		select {
		case <-ticker.C:
			if store.Changed() {
				if err := store.Save(path); err != nil {
					log.Printf("profiles: %v", err)
				}
			}
		case <-stop:
			if err := store.Save(path); err != nil {
				log.Printf("profiles: %v", err)
			}
			return
		}
	}
}
