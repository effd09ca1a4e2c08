# Example 1: Find Top Performers: copied unchanged from the seed (data-persistence-usage.md, "Data Analysis Examples").
import json

with open('backend/interview_data/interviews.json', 'r') as f:
    interviews = json.load(f)

# Sort by score
top_candidates = sorted(
    interviews, 
    key=lambda x: x['average_score'], 
    reverse=True
)[:5]

print("Top 5 Candidates:")
for candidate in top_candidates:
    print(f"{candidate['candidate_name']}: {candidate['average_score']}/10")
