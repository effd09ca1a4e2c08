# Example 3: Most Common Weaknesses: copied unchanged from the seed (data-persistence-usage.md, "Data Analysis Examples").
import json
from collections import Counter

with open('backend/interview_data/interviews.json', 'r') as f:
    interviews = json.load(f)

# Collect all weaknesses
all_weaknesses = []
for interview in interviews:
    all_weaknesses.extend(interview.get('weaknesses', []))

# Count occurrences
weakness_counts = Counter(all_weaknesses)
print("Top 5 Common Weaknesses:")
for weakness, count in weakness_counts.most_common(5):
    print(f"- {weakness}: {count} times")
