package seed

import (
	"strings"
	"testing"
)

func TestParseStaffAccounts(t *testing.T) {
	const header = "full_name,phone,role,agency_code\n"
	tests := []struct {
		name    string
		csv     string
		want    []StaffRow
		wantErr string
	}{
		{name: "every role, phones normalized, BOM and spaces",
			csv: "\ufeff" + header +
				"Trần Văn Một, +84 912 000 001 ,Committee,\n" +
				"Lê Thị Hai,0912000002,secretariat,\n" +
				"Phạm Văn Ba,84912000003,jury,\n" +
				"Đỗ Thị Bốn,0912.000.004,agency,QLECHAN\n" +
				"Quản trị,0912000005,admin,\n",
			want: []StaffRow{
				{FullName: "Trần Văn Một", Phone: "0912000001", Role: "committee"},
				{FullName: "Lê Thị Hai", Phone: "0912000002", Role: "secretariat"},
				{FullName: "Phạm Văn Ba", Phone: "0912000003", Role: "jury"},
				{FullName: "Đỗ Thị Bốn", Phone: "0912000004", Role: "agency", AgencyCode: "QLECHAN"},
				{FullName: "Quản trị", Phone: "0912000005", Role: "admin"},
			}},
		{name: "participants register themselves", csv: header + "A,0912000001,participant,\n", wantErr: `line 2: role "participant"`},
		{name: "unknown role", csv: header + "A,0912000001,boss,\n", wantErr: `role "boss"`},
		{name: "focal point without agency", csv: header + "A,0912000001,agency,\n", wantErr: "needs its agency_code"},
		{name: "agency code on another role", csv: header + "A,0912000001,jury,QLECHAN\n", wantErr: "only for role agency"},
		{name: "landline", csv: header + "A,02253123456,jury,\n", wantErr: "not a Vietnamese mobile number"},
		{name: "no name", csv: header + ",0912000001,jury,\n", wantErr: "full_name"},
		{name: "name too long", csv: header + strings.Repeat("a", 101) + ",0912000001,jury,\n", wantErr: "full_name"},
		{name: "same phone twice", csv: header + "A,0912000001,jury,\nB,+84912000001,committee,\n", wantErr: "line 3: phone 0912000001 is already on line 2"},
		{name: "wrong header", csv: "name,phone,role,agency\nA,0912000001,jury,\n", wantErr: "header column 1"},
		{name: "missing column", csv: header + "A,0912000001,jury\n", wantErr: "line 2"},
		{name: "header only", csv: header, wantErr: "no accounts"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseStaffAccounts(strings.NewReader(tt.csv))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %d rows, want %d: %+v", len(got), len(tt.want), got)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("row %d = %+v, want %+v", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestStaffAccountFromFlags(t *testing.T) {
	row, err := StaffAccount(" Ngô Văn Năm ", "+84 912 000 009", "AGENCY", " QLECHAN ")
	if err != nil {
		t.Fatal(err)
	}
	if want := (StaffRow{FullName: "Ngô Văn Năm", Phone: "0912000009", Role: "agency", AgencyCode: "QLECHAN"}); row != want {
		t.Fatalf("got %+v, want %+v", row, want)
	}
	if _, err := StaffAccount("A", "0912000009", "participant", ""); err == nil {
		t.Fatal("a participant account accepted")
	}
}
