package pbxsim

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// BenchmarkConcurrentChannels runs 1,000 channels at once through REST:
// create and dial (the phones answer at once), then hang up, from 32
// clients in parallel, while one WebSocket client takes every event.
func BenchmarkConcurrentChannels(b *testing.B) {
	s := NewServer(Options{AutoPhones: true})
	defer s.Close()
	s.SetPhone("PJSIP/bench", Phone{})
	log := &eventLog{}
	defer log.close()
	log.connect(b, s, "callcare")
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	do := func(method, path, body string) {
		req, _ := http.NewRequest(method, s.URL()+path, strings.NewReader(body))
		req.SetBasicAuth("callcare", "callcare")
		req.Header.Set("Content-Type", "application/json")
		resp, err := client.Do(req)
		if err != nil {
			b.Error(err)
			return
		}
		resp.Body.Close()
		if resp.StatusCode/100 != 2 {
			b.Errorf("%s %s: %d", method, path, resp.StatusCode)
		}
	}
	const channels, workers = 1000, 32
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ids := make(chan string, channels)
		for n := 0; n < channels; n++ {
			ids <- fmt.Sprintf("b%d-%d", i, n)
		}
		close(ids)
		var wg sync.WaitGroup
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for id := range ids {
					do("POST", "/channels/create", `{"endpoint":"PJSIP/bench","app":"callcare","channelId":"`+id+`"}`)
					do("POST", "/channels/"+id+"/dial", ``)
				}
			}()
		}
		wg.Wait()
		waitChannels(b, s, channels, "Up")
		ids = make(chan string, channels)
		for n := 0; n < channels; n++ {
			ids <- fmt.Sprintf("b%d-%d", i, n)
		}
		close(ids)
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for id := range ids {
					do("DELETE", "/channels/"+id, ``)
				}
			}()
		}
		wg.Wait()
	}
	b.StopTimer()
	b.ReportMetric(float64(channels*b.N)/b.Elapsed().Seconds(), "channels/s")
}

func waitChannels(b *testing.B, s *Server, n int, state string) {
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		up := 0
		for _, ch := range s.Channels() {
			if ch.State == state {
				up++
			}
		}
		if up >= n {
			return
		}
		time.Sleep(time.Millisecond)
	}
	b.Fatalf("channels did not reach %s", state)
}

// BenchmarkEventDelivery measures the events per second the simulator
// writes to one WebSocket client: 1,000 inbound calls enter Stasis and
// hang up, each op, and the client reads every event.
func BenchmarkEventDelivery(b *testing.B) {
	s := NewServer(Options{})
	defer s.Close()
	log := &eventLog{}
	defer log.close()
	log.connect(b, s, "callcare")
	start := s.Stats().EventsSent
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		calls := make([]*Call, 0, 1000)
		for n := 0; n < 1000; n++ {
			c, err := s.Call(Caller{Number: "48600100200", Exten: "100", App: "callcare"})
			if err != nil {
				b.Fatal(err)
			}
			calls = append(calls, c)
		}
		for _, c := range calls {
			c.Hangup()
		}
		log.sync(b, s, "callcare")
	}
	b.StopTimer()
	sent := s.Stats().EventsSent - start
	b.ReportMetric(float64(sent)/b.Elapsed().Seconds(), "events/s")
}
