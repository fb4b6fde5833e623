package kube

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"
)

// Pod is the part of a Pod object attribution needs.
type Pod struct {
	Metadata struct {
		Namespace       string            `json:"namespace"`
		Name            string            `json:"name"`
		UID             string            `json:"uid"`
		Labels          map[string]string `json:"labels"`
		ResourceVersion string            `json:"resourceVersion"`
	} `json:"metadata"`
	Spec struct {
		NodeName string `json:"nodeName"`
	} `json:"spec"`
	Status struct {
		ContainerStatuses     []ContainerStatus `json:"containerStatuses"`
		InitContainerStatuses []ContainerStatus `json:"initContainerStatuses"`
	} `json:"status"`
}

type ContainerStatus struct {
	Name        string `json:"name"`
	ContainerID string `json:"containerID"`
}

// PodWatcher receives the pod set: a full list, then changes.
type PodWatcher interface {
	Replace(pods []Pod)
	Upsert(pod Pod)
	Delete(pod Pod)
}

// WatchPods lists and watches every pod in the cluster until stop is closed, re-listing after any failure.
// Every node's pods are watched, not only this node's: in the lab several Node objects share one kernel, so a
// container on "another node" is still observed here and must be matched by its container id.
func (c *Client) WatchPods(watcher PodWatcher, onError func(error), stop <-chan struct{}) {
	backoff := time.Second
	for {
		err := c.listAndWatch(watcher, stop)
		select {
		case <-stop:
			return
		default:
		}
		if err != nil {
			onError(err)
		}
		select {
		case <-stop:
			return
		case <-time.After(backoff):
		}
		if backoff < 30*time.Second {
			backoff *= 2
		}
	}
}

func (c *Client) listAndWatch(watcher PodWatcher, stop <-chan struct{}) error {
	resp, err := c.Get("/api/v1/pods?limit=0")
	if err != nil {
		return fmt.Errorf("listing pods: %w", err)
	}
	var list struct {
		Metadata struct {
			ResourceVersion string `json:"resourceVersion"`
		} `json:"metadata"`
		Items []Pod `json:"items"`
	}
	err = decodeOK(resp, &list)
	if err != nil {
		return fmt.Errorf("listing pods: %w", err)
	}
	watcher.Replace(list.Items)
	resp, err = c.Get("/api/v1/pods?watch=1&allowWatchBookmarks=true&resourceVersion=" + list.Metadata.ResourceVersion)
	if err != nil {
		return fmt.Errorf("watching pods: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return decodeOK(resp, nil)
	}
	go func() {
		<-stop
		resp.Body.Close()
	}()
	defer resp.Body.Close()
	scanner := bufio.NewScanner(resp.Body)
	scanner.Buffer(make([]byte, 1<<20), 16<<20)
	for scanner.Scan() {
		var event struct {
			Type   string `json:"type"`
			Object Pod    `json:"object"`
		}
		if err := json.Unmarshal(scanner.Bytes(), &event); err != nil {
			return fmt.Errorf("pod watch sent an undecodable event: %w", err)
		}
		switch event.Type {
		case "ADDED", "MODIFIED":
			watcher.Upsert(event.Object)
		case "DELETED":
			watcher.Delete(event.Object)
		case "ERROR":
			return fmt.Errorf("pod watch ended by the API server (expired resource version): re-listing")
		}
	}
	return scanner.Err()
}

func decodeOK(resp *http.Response, into any) error {
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return fmt.Errorf("API server answered %s: %s", resp.Status, body)
	}
	if into == nil {
		return nil
	}
	return json.NewDecoder(resp.Body).Decode(into)
}
