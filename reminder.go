package contest

// Reminder asks that the committee be reminded that a stage waits for them. Count is the
// how-many-th reminder for that wait, so that each one is queued and delivered once.
type Reminder struct {
	CampaignID int64  `json:"campaign_id"`
	Stage      string `json:"stage"`
	Round      int    `json:"round"`
	Count      int    `json:"count"`
}
